from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with one iteration, for test speed.

    The hashes keep the ``pbkdf2_sha256`` format, which records its iteration
    count, so server processes started with the production hashers verify
    them too.
    """

    iterations = 1
