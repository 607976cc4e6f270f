"""Actions: every write with side effects goes through a function here.

Views, the API, the CLI and jobs parse and authorise, then call one service function.
"""
