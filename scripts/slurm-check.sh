#!/bin/sh
# make slurm-check: `rectifier run` on a real Slurm, as a job array of 4 shards and the merge
# job, compared with the same run made here.
#
#     scripts/slurm-check.sh .build/release/rectifier
#
# Installs Debian's slurm-wlm and munge when missing (apt-get; sudo when not root), starts
# munged, slurmctld and slurmd on this machine with their keys, configuration, state and
# logs in a scratch directory (a single-node cluster on localhost, ports 16817 and 16818),
# submits `rectifier slurm run --nodes 4 --submit`, waits for both jobs, runs `rectifier run`
# with the same options here, compares the two with scripts/compare-runs.py, and stops the
# daemons it started. SLURM_CHECK_ARGS are the run's options (default: --seeds 1 --threads 1);
# SLURM_CHECK_MINUTES bounds the wait (default 120).
set -eu
bin=$(realpath "$1")
args=${SLURM_CHECK_ARGS:---seeds 1 --threads 1}
minutes=${SLURM_CHECK_MINUTES:-120}
here=$(cd "$(dirname "$0")" && pwd)
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

missing=""
for package in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing > /dev/null
fi

scratch=$(mktemp -d /tmp/rectifier-slurm-check.XXXXXX)
chmod 755 "$scratch"
stop() {
  for daemon in slurmd slurmctld munged; do
    if [ -s "$scratch/$daemon.pid" ]; then
      $sudo kill "$(cat "$scratch/$daemon.pid")" 2>/dev/null || true
    fi
  done
}
trap stop EXIT

host=$(hostname -s)
dd if=/dev/urandom of="$scratch/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$scratch/munge.key"
mkdir -m 755 "$scratch/munge"
$sudo munged --force --socket="$scratch/munge/socket" --key-file="$scratch/munge.key" \
  --pid-file="$scratch/munged.pid" --log-file="$scratch/munged.log" --seed-file="$scratch/munge.seed"

mkdir -p "$scratch/state" "$scratch/spool"
cat > "$scratch/slurm.conf" <<EOF
ClusterName=rectifier-check
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$scratch/munge/socket
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool
SlurmctldPidFile=$scratch/slurmctld.pid
SlurmdPidFile=$scratch/slurmd.pid
SlurmctldLogFile=$scratch/slurmctld.log
SlurmdLogFile=$scratch/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=check Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$scratch/slurm.conf"
$sudo env SLURM_CONF="$SLURM_CONF" slurmctld -f "$SLURM_CONF"
$sudo env SLURM_CONF="$SLURM_CONF" slurmd -f "$SLURM_CONF"

waited=0
until sinfo -h -o %T 2>/dev/null | grep -q idle; do
  sleep 1
  waited=$((waited + 1))
  if [ "$waited" -ge 60 ]; then
    echo "slurm-check: the node did not come up in 60 s:"
    sinfo 2>&1 || true
    tail -5 "$scratch/slurmctld.log" "$scratch/slurmd.log" 2>/dev/null || true
    exit 1
  fi
done
echo "cluster up: $(sinfo -h -o '%P %D node(s) %c CPUs %T')"

started=$(date +%s)
$bin slurm run --nodes 4 --partition check --out "$scratch/cluster" $args --submit
while [ -n "$(squeue -h -o %i 2>/dev/null)" ]; do
  sleep 5
  if [ $(($(date +%s) - started)) -ge $((minutes * 60)) ]; then
    echo "slurm-check: the jobs did not finish in $minutes minutes:"
    squeue
    exit 1
  fi
done
cluster_seconds=$(($(date +%s) - started))
if [ ! -s "$scratch/cluster/index.html" ]; then
  echo "slurm-check: no merged report in $scratch/cluster; the jobs' output:"
  tail -n 3 "$scratch/cluster"/slurm-*.out
  exit 1
fi
echo "cluster: 4 shards and the merge in ${cluster_seconds} s; merge output:"
cat "$scratch/cluster/slurm-run-merge.out"

started=$(date +%s)
$bin run --out "$scratch/local" $args > "$scratch/local.log"
echo "here: rectifier run $args in $(($(date +%s) - started)) s"
python3 "$here/compare-runs.py" "$scratch/local" "$scratch/cluster"
echo "slurm-check passed ($scratch)"
