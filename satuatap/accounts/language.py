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
from django.utils.cache import patch_vary_headers

from satuatap.pagesonly import is_api


def chosen_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""
    try:
        return translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if is_api(request):
            # The API's clients are programs: LocaleMiddleware's choice (cookie, then Accept-Language). The
            # API is never under i18n_patterns, so the language-in-the-path steps have nothing to find.
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if is_api(request):
            # What LocaleMiddleware answers for a path without a language prefix (its 404 redirect to a
            # prefixed path never applies to the API), without resolving the URL configuration again.
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
