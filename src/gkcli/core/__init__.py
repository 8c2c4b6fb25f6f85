"""The answers to a user's questions, from a loaded registry: queries, statistics, the bulletin's
data, recording work and returns. Plain data out; nothing here prints, exits or reads the clock."""
