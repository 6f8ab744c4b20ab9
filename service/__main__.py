"""`python -m service`: the command line."""

from service.cli import cli

if __name__ == "__main__":
    cli()
