from cquin_cli.cli import main

main()
