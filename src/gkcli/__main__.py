from gkcli.cli.base import main

main()
