"""Collection rules for the whole repository (pytest's rootdir conftest).

``--doctest-modules`` imports every module under engagement/ to find its doctests.
Alembic's ``env.py`` migrates a database the moment it is imported and the revision
scripts only make sense under Alembic, so the migrations folder is not collected.
"""

collect_ignore_glob = ["engagement/storage/migrations/*"]
