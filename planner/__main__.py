from planner.cli.launch import main

# Guarded: a process the planner starts (an import's reader) imports this module again.
if __name__ == "__main__":
    main()
