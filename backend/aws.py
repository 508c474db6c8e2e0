"""AWS deployment glue.

Elastic Beanstalk hands an attached RDS database to the app as ``RDS_*``
variables instead of a ``DATABASE_URL``; this module turns them into a Django
database configuration.
"""

import os

RDS_VARIABLES = ("RDS_HOSTNAME", "RDS_PORT", "RDS_DB_NAME", "RDS_USERNAME", "RDS_PASSWORD")


def rds_configured(environ=os.environ) -> bool:
    return all(environ.get(name) for name in RDS_VARIABLES)


def rds_database(environ=os.environ) -> dict:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": environ["RDS_HOSTNAME"],
        "PORT": environ["RDS_PORT"],
        "NAME": environ["RDS_DB_NAME"],
        "USER": environ["RDS_USERNAME"],
        "PASSWORD": environ["RDS_PASSWORD"],
    }
