"""Feedback both ways: a runner's RPE, feeling and comment per session, comment threads on
sessions and planned days (the runner and their coaches), coaches' private notes, and the
session-RPE load (Foster) for sessions without heart rate or pace."""
