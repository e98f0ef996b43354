#!/usr/bin/env bash
# Regenerates Sources/Interchange/ONNX/Proto/onnx_subset.pb.swift from Protos/onnx_subset.proto.
#
# Run from anywhere, after editing the .proto: scripts/generate-onnx-proto.sh
#
# The generated code is committed; the build never runs protoc. The plugin is built from the
# swift-protobuf checkout that the package resolves to (so the code matches the runtime
# library it is compiled against), in a scratch folder (.build-protoc, never committed).
# Needs protoc (Debian: apt-get install protobuf-compiler).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$root/.build-protoc"
output="$root/Sources/Interchange/ONNX/Proto"

command -v protoc >/dev/null || { echo "protoc is missing: apt-get install protobuf-compiler" >&2; exit 1; }

cd "$root"
swift package resolve
checkout="$root/.build/checkouts/swift-protobuf"
commit="$(git -C "$checkout" rev-parse HEAD)"
version="$(git -C "$checkout" describe --tags --exact-match 2>/dev/null || echo "$commit")"
plugin_source="$scratch/swift-protobuf"
[ -d "$plugin_source" ] || git clone --quiet "$checkout" "$plugin_source"
if [ "$(git -C "$plugin_source" rev-parse HEAD)" != "$commit" ]; then
  git -C "$plugin_source" fetch --quiet "$checkout" "$commit"
  git -C "$plugin_source" checkout --quiet "$commit"
fi
(cd "$plugin_source" && swift build -c release --product protoc-gen-swift)
plugin="$plugin_source/.build/release/protoc-gen-swift"

mkdir -p "$output"
protoc --plugin=protoc-gen-swift="$plugin" \
  --proto_path="$root/Protos" \
  --swift_opt=Visibility=Internal \
  --swift_opt=FileNaming=DropPath \
  --swift_out="$output" \
  "$root/Protos/onnx_subset.proto"
echo "wrote $output/onnx_subset.pb.swift (swift-protobuf $version)"
