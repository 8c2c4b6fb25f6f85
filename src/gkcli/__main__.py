from gkcli.cli import main

main()
