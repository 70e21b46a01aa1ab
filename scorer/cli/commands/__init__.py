"""One module per `scorer` command."""
