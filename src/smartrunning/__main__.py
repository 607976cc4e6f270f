from smartrunning.cli import main

main()
