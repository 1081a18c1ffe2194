from django.apps import AppConfig


class TwilioSandboxConfig(AppConfig):
    name = "twilio_sandbox"
    verbose_name = "Sandbox Twilio (demo and tests)"
