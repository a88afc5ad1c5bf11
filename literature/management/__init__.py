"""Management commands: thin wrappers that parse arguments, call a function of the app, print its report."""
