"""mofcheck: check an AI model repository against the Model Openness Framework."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.1"
