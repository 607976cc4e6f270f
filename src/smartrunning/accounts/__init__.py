"""Accounts: users and roles, passwords, logging in and out, personal API tokens.

``models`` (users, roles, tokens) · ``actions`` (creating users, passwords, roles) ·
``schemas`` (a user as the API and the CLI show them) · ``tokens`` · ``policy`` (the
current user, role checks) · ``views`` (login, password) · ``settings`` (the user's own
settings page) · ``cli`` (``create-user``, ``set-password``, ``preferences``)."""
