"""The hostile-input suite: dossiers, rubrics, options, files and environments built to break
scorer. Each module takes one kind of input; every case must end in one clear message (or a
safe output), never a traceback, a hang or a changed file."""
