from django.db import models


class BaselineRow(models.Model):
    """One small row: what the bare baseline inserts and reads."""

    name = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.pk}: {self.name}"
