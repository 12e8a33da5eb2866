"""Clients of the role-play assistant (terminal console now) and the scripts that start its servers."""
