"""Where registries live: finding, reading, validating, caching and writing their files."""
