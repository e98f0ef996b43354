import RectifierCLI

RectifierCommand.runFromCommandLine()
