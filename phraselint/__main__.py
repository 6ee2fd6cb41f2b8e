from phraselint.cli import main

main()
