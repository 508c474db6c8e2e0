"""Imports of a user's solved problems from coding platforms (Codewars, LeetCode).

``base`` defines what a platform client provides, ``codewars`` and ``leetcode``
implement it over ``http`` (timeouts, retries), ``mapping`` writes one problem
into questions and logs, ``services`` runs a job from start to finish, and
``views`` expose it under /api/import/. The job runs as a task of Django's Tasks
framework (``backend.core.imports.tasks``). See docs/features/import_api_design.md.
"""
