"""Where registries live and what they meet outside: finding, reading, validating, caching and
writing their files and the office's log; the robots' configuration, web servers, and the copies
of evidence pages kept."""
