from django.db import models

from mdss.audit.querysets import RegulatedModel


class SampleRecord(RegulatedModel):
    title = models.CharField(max_length=100)

    def __str__(self):
        return self.title
