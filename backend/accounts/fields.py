from backend.fields import StrictCharField


class NewPasswordField(StrictCharField):
    """A password being chosen: the serializer checks it against
    AUTH_PASSWORD_VALIDATORS, and backend/schema.py states the rules it can."""
