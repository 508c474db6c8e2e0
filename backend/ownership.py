"""Who may see a row: the one scoping rule of the API.

Every model a user owns has a QuerySet with ``owned_by(user)``, and every view
over such a model goes through ``OwnedMixin``, so another user's row is a 404.
Serializers and filters that look rows up (a question's ``tag_ids``, the
``tag`` filter) take their querysets from ``owned_by`` too.
"""

from django.db import models


class OwnedQuerySet(models.QuerySet):
    owner_field = "owner"  # the foreign key to the user who owns the row

    def owned_by(self, user) -> "OwnedQuerySet":
        return self.filter(**{self.owner_field: user})


class OwnedMixin:
    """For DRF generic views: the view's queryset, narrowed to the requester's rows.

    List it first among the bases, so that it narrows whatever queryset the
    view's own ``get_queryset`` or ``queryset`` builds.
    """

    def get_queryset(self):
        return super().get_queryset().owned_by(self.request.user)
