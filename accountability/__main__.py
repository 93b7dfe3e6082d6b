from accountability.cli import main

# Guarded: a process started with multiprocessing's "spawn" imports the main module
# again, and must not run the command line.
if __name__ == "__main__":
    main()
