"""The drills, one module per chapter, named like its file (registered on import)."""
