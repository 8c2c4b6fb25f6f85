"""The answers to a user's questions, from a loaded registry: queries, statistics, the bulletin's
data, recording work, returns, reminders for work groups and evidence links checked. Plain data
out; nothing here prints, exits or reads the clock (a caller that sends gives it the clock)."""
