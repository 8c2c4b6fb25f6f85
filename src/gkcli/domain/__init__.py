"""What a registry is, independent of files and screens: records, units, deadlines, the registry."""
