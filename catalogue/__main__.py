"""The `catalogue` command (also `python -m catalogue`).

This module stays light on purpose. A worker process of `catalogue import` (and of a reindex)
starts by importing the main module of the process that made it, as multiprocessing's forkserver
and spawn do. Were that the command line with all its commands, each worker would load the whole
app (about a second) only to validate records; this module loads the commands when it runs."""


def main() -> None:
    from catalogue.cli import main as command

    command()


if __name__ == "__main__":
    main()
