"""The JSON API (Django REST framework) on the same models, QuerySet verbs and FilterSet as the reader
site: serializers that validate and call the write functions of `literature.curation`, viewsets,
pagination, token authentication, JSON errors and the OpenAPI schema."""
