"""The channels of a spreadsheet's rows, as practices name them (``Facebook``, ``Stampa``,
``Redes sociales``), read as the planner's channels."""

from __future__ import annotations

import functools
import unicodedata

from planner.domain.models import Channel

# Channels as spreadsheets name them, besides the planner's own names: in English, Italian and
# Spanish, looked up without case or accents (see ``channel_key``). Radio, television and
# billboards have no channel of their own in the planner, so they are left to the user to map.
CHANNEL_WORDS: dict[str, Channel] = {
    "e-mail": Channel.EMAIL,
    "newsletter": Channel.EMAIL,
    "mailchimp": Channel.EMAIL,
    "text": Channel.SMS,
    "text message": Channel.SMS,
    "facebook": Channel.SOCIAL_MEDIA,
    "instagram": Channel.SOCIAL_MEDIA,
    "meta": Channel.SOCIAL_MEDIA,
    "social": Channel.SOCIAL_MEDIA,
    "linkedin": Channel.SOCIAL_MEDIA,
    "tiktok": Channel.SOCIAL_MEDIA,
    "google ads": Channel.SEARCH_ADS,
    "google": Channel.SEARCH_ADS,
    "search": Channel.SEARCH_ADS,
    "ppc": Channel.SEARCH_ADS,
    "display": Channel.DISPLAY_ADS,
    "banner": Channel.DISPLAY_ADS,
    "portal": Channel.PATIENT_PORTAL,
    "web": Channel.WEBSITE,
    "seo": Channel.WEBSITE,
    "blog": Channel.WEBSITE,
    "print": Channel.PRINT_MAIL,
    "mail": Channel.PRINT_MAIL,
    "print & mail": Channel.PRINT_MAIL,
    "print and mail": Channel.PRINT_MAIL,
    "direct mail": Channel.PRINT_MAIL,
    "flyer": Channel.PRINT_MAIL,
    "flyers": Channel.PRINT_MAIL,
    "posters": Channel.PRINT_MAIL,
    "event": Channel.EVENTS,
    "seminar": Channel.EVENTS,
    "press": Channel.PR,
    "public relations": Channel.PR,
    # Italian
    "posta elettronica": Channel.EMAIL,
    "messaggi": Channel.SMS,
    "messaggio": Channel.SMS,
    "messaggi sms": Channel.SMS,
    "social network": Channel.SOCIAL_MEDIA,
    "ricerca a pagamento": Channel.SEARCH_ADS,
    "annunci di ricerca": Channel.SEARCH_ADS,
    "annunci google": Channel.SEARCH_ADS,
    "pubblicita display": Channel.DISPLAY_ADS,
    "annunci display": Channel.DISPLAY_ADS,
    "portale": Channel.PATIENT_PORTAL,
    "portale pazienti": Channel.PATIENT_PORTAL,
    "portale del paziente": Channel.PATIENT_PORTAL,
    "sito": Channel.WEBSITE,
    "sito web": Channel.WEBSITE,
    "sito internet": Channel.WEBSITE,
    "pagina web": Channel.WEBSITE,
    "stampa": Channel.PRINT_MAIL,
    "stampati": Channel.PRINT_MAIL,
    "posta": Channel.PRINT_MAIL,
    "posta cartacea": Channel.PRINT_MAIL,
    "lettere": Channel.PRINT_MAIL,
    "volantini": Channel.PRINT_MAIL,
    "volantino": Channel.PRINT_MAIL,
    "volantinaggio": Channel.PRINT_MAIL,
    "locandine": Channel.PRINT_MAIL,
    "manifesti": Channel.PRINT_MAIL,
    "opuscoli": Channel.PRINT_MAIL,
    "depliant": Channel.PRINT_MAIL,
    "eventi": Channel.EVENTS,
    "evento": Channel.EVENTS,
    "convegno": Channel.EVENTS,
    "convegni": Channel.EVENTS,
    "seminario": Channel.EVENTS,
    "seminari": Channel.EVENTS,
    "telemedicina": Channel.TELEHEALTH,
    "televisita": Channel.TELEHEALTH,
    "ufficio stampa": Channel.PR,
    "comunicato stampa": Channel.PR,
    "comunicati stampa": Channel.PR,
    "relazioni pubbliche": Channel.PR,
    "altro": Channel.OTHER,
    "altri": Channel.OTHER,
    # Spanish
    "correo": Channel.EMAIL,
    "correo electronico": Channel.EMAIL,
    "boletin": Channel.EMAIL,
    "mensajes": Channel.SMS,
    "mensaje de texto": Channel.SMS,
    "mensajes de texto": Channel.SMS,
    "redes sociales": Channel.SOCIAL_MEDIA,
    "redes": Channel.SOCIAL_MEDIA,
    "anuncios de busqueda": Channel.SEARCH_ADS,
    "busqueda de pago": Channel.SEARCH_ADS,
    "publicidad en buscadores": Channel.SEARCH_ADS,
    "anuncios display": Channel.DISPLAY_ADS,
    "publicidad display": Channel.DISPLAY_ADS,
    "portal del paciente": Channel.PATIENT_PORTAL,
    "portal de pacientes": Channel.PATIENT_PORTAL,
    "sitio web": Channel.WEBSITE,
    "impresos": Channel.PRINT_MAIL,
    "imprenta": Channel.PRINT_MAIL,
    "folletos": Channel.PRINT_MAIL,
    "folleto": Channel.PRINT_MAIL,
    "carteles": Channel.PRINT_MAIL,
    "correo postal": Channel.PRINT_MAIL,
    "buzoneo": Channel.PRINT_MAIL,
    "eventos": Channel.EVENTS,
    "jornadas": Channel.EVENTS,
    "congreso": Channel.EVENTS,
    "teleconsulta": Channel.TELEHEALTH,
    "prensa": Channel.PR,
    "relaciones publicas": Channel.PR,
    "otro": Channel.OTHER,
    "otros": Channel.OTHER,
}


def channel_key(text: str) -> str:
    """A channel's name as it is looked up: without case, accents, ``_``, ``-`` or extra
    spaces (``Anuncios de búsqueda`` = ``anuncios de busqueda``)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


_CHANNEL_KEYS: dict[str, Channel] = {channel_key(word): c for word, c in CHANNEL_WORDS.items()}
for _channel in Channel:
    _CHANNEL_KEYS[channel_key(_channel.value)] = _channel
    _CHANNEL_KEYS[channel_key(_channel.label)] = _channel


@functools.lru_cache(maxsize=1024)
def read_channel(text: str) -> Channel | None:
    """A channel as a spreadsheet names it (``Facebook``, ``Newsletter``, ``search_ads``,
    ``Stampa``, ``Redes sociales``)."""
    key = channel_key(text)
    if not key:
        return None
    if key in _CHANNEL_KEYS:
        return _CHANNEL_KEYS[key]
    known = ", ".join(channel.value for channel in Channel)
    raise ValueError(f"'{text.strip()}' is not a channel; the channels are: {known}.")
