"""Which language a screen speaks: Bahasa Indonesia unless someone chose English.

Django's LocaleMiddleware also follows the browser's Accept-Language, which
would turn a kiosk or counter PC running an en-US browser into an English
screen in an Indonesian hall. Here only the language switch counts (the
``django_language`` cookie that ``/i18n/setlang/`` sets); the API still
negotiates with Accept-Language, since its clients are programs.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""
    try:
        return translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
