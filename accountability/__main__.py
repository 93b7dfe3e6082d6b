from accountability.cli import main

main()
