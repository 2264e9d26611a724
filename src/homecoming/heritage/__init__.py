"""Heritage register: monuments, their condition before and after, and their restoration works."""
