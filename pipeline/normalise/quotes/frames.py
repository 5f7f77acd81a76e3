"""Find quotations and their frames in one spaCy Doc.

Kinds: ``direct`` (quotation marks), ``indirect`` (a clause framed by a speech verb or a source preposition:
"sagte, dass …", "erklärte, man werde …", "Wie X mitteilte, …", "…, sagte X", "laut X", "X zufolge",
"nach Angaben von X", "…, so X"), ``reported`` (a speech verb with an object and no clause: "Die Firma forderte
eine schnellere Entscheidung") and ``free_indirect`` (the Konjunktiv-I sentences that go on after a framed quote).
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from pipeline.nlp import lexicon
from pipeline.nlp.doc_text import doc_text, token_words
from pipeline.nlp.lexicon import ADJECTIVE_ENDINGS
from pipeline.normalise.quotes.direct import Marked, group_interrupted, is_partial_quote, looks_like_name, marked_quotes
from pipeline.normalise.quotes.lexicon import cues
from pipeline.normalise.quotes.speakers import (
    COORDINATORS,
    RELATIVE_PRONOUNS,
    Speaker,
    SpeakerFinder,
    is_break,
    phrase_end,
)

NAMED = frozenset({"name", "organisation", "role"})
OPENING_MARKS = frozenset({"„", "»", "«", "‚", '"'})
CLOSING_MARKS = frozenset({"“", "”", "«", "»", "‘", '"'})
SENTENCE_END = frozenset({".", "!", "?"})
SUBORDINATORS = frozenset({"wie", "als"})
# Words that join a clause to the one before, so it goes on what was said ("…, sondern …", "…, um … zu …").
CONTINUING_WORDS = (
    COORDINATORS
    | RELATIVE_PRONOUNS
    | {
        "sondern",
        "um",
        "ohne",
        "statt",
        "anstatt",
        "dass",
        "ob",
        "weil",
        "da",
        "wenn",
        "falls",
        "obwohl",
        "damit",
        "wie",
        "wo",
        "was",
        "wer",
        "sodass",
        "zumal",
        "während",
        "nachdem",
        "bevor",
        "bis",
    }
)
# Subordinators whose clause the main clause follows ("Da er angab, … zu haben, alarmierten …").
EMBEDDING_SUBORDINATORS = frozenset({"als", "da", "weil", "nachdem", "obwohl", "während", "wenn", "falls", "bevor"})
AUXILIARIES = frozenset({"hat", "hatte", "haben", "hatten", "ist", "war", "sind", "waren"})
# Adverbs a frame may add after its speaker ("…, sagte er auch", "…, erklärte der Sprecher der Zeitung gegenüber").
TAIL_ADVERBS = frozenset({"auch", "noch", "gegenüber", "aber", "nur", "gestern", "heute", "abschließend", "weiter"})
DASHES = frozenset({"–", "—"})
GENITIVE_ARTICLES = frozenset({"des", "der", "eines", "einer"})
CONSECUTIVE_WORDS = frozenset({"dermaßen", "derart", "derartig", "solch", "solche", "solchen", "solches"})
DATELINE_CHARS = 800  # a dateline stands at the start of a text, after its teaser at most
MAX_DATELINE_TOKENS = 6  # "Hanoi / Phnom Penh –"
MAX_MODIFIERS = 3  # "der stark verwesten Leiche"
MAX_FRAME_TOKENS = 25  # "…“, sagte der Sprecher …"
MAX_LEAD_TOKENS = 60  # "Huber hatte zu Beginn … eine klare Botschaft: „…“"
CONTINUATION_CHARS = 300
FREE_INDIRECT_SENTENCES = 3


@dataclass
class Quote:
    """One quotation: its character spans, kind, cue word and speaker."""

    spans: list[tuple[int, int]]
    kind: str
    cue: str | None = None
    speaker: Speaker | None = None
    inherited: bool = field(default=False)


class QuoteFinder:
    """All quotations of one document."""

    def __init__(self, doc: Doc, mentions: list[dict], text: str | None = None) -> None:
        self.doc = doc
        self.text = doc_text(doc) if text is None else text
        # token attributes as lists (shared with the other stages): much cheaper than a Token per look-up
        self.texts, self.lowers, lemmas, _ = token_words(doc)
        self.cues = cues()
        fixes = self.cues.verb_lemmas
        self.lemmas = [fixes.get(lower, lemma.lower()) for lower, lemma in zip(self.lowers, lemmas, strict=True)]
        words, lemmas = self.cues.frame_words, self.cues.frame_lemmas  # tokens that can open a frame (_framed)
        self.frame_tokens = [
            i for i, (w, m) in enumerate(zip(self.lowers, self.lemmas, strict=True)) if w in words or m in lemmas
        ]
        self.marked = group_interrupted(self.text, marked_quotes(self.text))
        self.quoted = self._mask(self.marked)
        self.speakers = SpeakerFinder(doc, mentions, self.quoted)
        self._previous_sentence: Span | None = None

    def _mask(self, groups: list[list[Marked]]) -> list[bool]:
        """Per token: inside quotation marks."""
        mask = [False] * len(self.doc)
        for group in groups:
            span = self.doc.char_span(group[0].outer[0], group[-1].outer[1], alignment_mode="expand")
            if span is not None:
                mask[span.start : span.end] = [True] * len(span)
        return mask

    def find(self) -> list[Quote]:
        kept = [(group, self._direct(group)) for group in self.marked]
        self._continue_speakers([quote for _, quote in kept if quote is not None])
        quotes = [quote for _, quote in kept if quote is not None]
        speech = self._mask([group for group, quote in kept if quote is not None])
        by_token = {}
        for group, quote in kept:
            span = self.doc.char_span(group[0].outer[0], group[-1].outer[1], alignment_mode="expand")
            if quote is not None and span is not None:
                by_token[span.start] = quote
        last: Quote | None = None
        free_left = 0
        self._previous_sentence = None
        for sent in self._sentences():
            if any(speech[sent.start : sent.end]):
                self._previous_sentence = None  # a direct quote with a speaker can go on in Konjunktiv I
                direct = [by_token[i] for i in range(sent.start, sent.end) if i in by_token]
                last = direct[-1] if direct and direct[-1].speaker is not None else None
                free_left = FREE_INDIRECT_SENTENCES if last else 0
                continue
            quote = self._framed(sent)
            self._previous_sentence = sent
            if quote is not None:
                quotes.append(quote)
                last, free_left = quote, FREE_INDIRECT_SENTENCES
            elif (
                last is not None and free_left and (self._continues_source(sent) or self._goes_on_reported(last, sent))
            ):
                quotes.append(Quote([self._trim(sent.start, sent.end)], "indirect", None, last.speaker, True))
                free_left -= 1
            elif last is not None and free_left and self._goes_on_view(last, sent):
                quotes.append(Quote([self._trim(sent.start, sent.end)], "free_indirect", None, last.speaker, True))
                free_left -= 1
            else:
                last, free_left = None, 0
        quotes.sort(key=lambda q: q.spans[0])
        self._unframed_continue_speakers(quotes)
        self._pronouns_continue_speakers(quotes)
        return quotes

    @staticmethod
    def _unframed_continue_speakers(quotes: list[Quote]) -> None:
        """A quotation without frame or speaker right after another quote is that quote's speaker's
        ("Nach Aussagen der Anwältin … Der Mann sei „nicht aggressiv“")."""
        for previous, quote in itertools.pairwise(quotes):
            near = quote.spans[0][0] - previous.spans[-1][1] <= CONTINUATION_CHARS
            if quote.speaker is None and quote.cue is None and previous.speaker is not None and near:
                quote.speaker, quote.inherited = previous.speaker, True

    def _goes_on_reported(self, last: Quote, sent: Span) -> bool:
        """After an account from a source ("Nach Zeugenaussagen soll …"), a sentence with reportive *sollen* and a
        perfect infinitive goes on with it ("Danach soll er … geflüchtet sein"). Only after a source's account:
        the police's own narration with *sollen* is no quote."""
        cues = self.cues
        sources = cues.source_prepositions | cues.source_noun_prepositions | cues.source_postpositions
        if last.kind != "indirect" or last.cue not in sources:
            return False
        words = [self.lowers[i] for i in range(sent.start, sent.end) if self.doc[i].is_alpha]
        return bool(words) and words[-1] in ("haben", "sein") and any(w in ("soll", "sollen") for w in words)

    def _goes_on_view(self, last: Quote, sent: Span) -> bool:
        """A sentence in Konjunktiv I, or with reportive *sollen* after a statement (not after a reported act,
        whose subject is often no speaker), goes on with the view of the quote before."""
        if self._subjunctive(sent.start, sent.end):
            return True
        return last.kind != "reported" and self._reportive(sent)

    def _reportive(self, sent: Span) -> bool:
        """Reportive or planning *sollen* as the finite verb of the main clause after a quote goes on with its
        speaker's view ("…, kündigte X an. Die Stellen sollen vor allem die Verwaltung treffen.", "Als sie
        eingriffen, soll er …"); not in a relative or later clause ("ein Abkommen, mit dem … gefördert werden
        soll"), after "und" ("ist kostenlos und soll …") or a colon, not an appeal to the public ("Zeugen sollen
        sich … melden")."""
        cues = self.cues
        for i in range(sent.start, sent.end):
            word = self.lowers[i]
            if word in cues.public_words or word in COORDINATORS or word == ":":
                return False
            if word in cues.reportive_forms:
                clause = self._clause_start(i, sent.start)
                return clause == i or (clause == sent.start and not self._dependent_clause(clause))
        return False

    def _dependent_clause(self, clause: int) -> bool:
        """A sentence that opens with a subordinate clause ("Während …", "Dass …")."""
        first = self.lowers[clause]
        return first in EMBEDDING_SUBORDINATORS or first in self.cues.clause_openers

    def _continues_source(self, sent: Span) -> bool:
        """ "Demnach …", "… soll demnach …": the source of the quote before goes on."""
        return any(self.lowers[i] in self.cues.anaphoric_sources for i in range(sent.start, sent.end))

    def _pronouns_continue_speakers(self, quotes: list[Quote]) -> None:
        """ "er"/"sie" right after a quote by a named person is that person (the topic), not any name between."""
        named: Quote | None = None
        for quote in quotes:
            speaker = quote.speaker
            if speaker is None:
                continue
            if speaker.resolved == "pronoun" and speaker.text.lower() in ("er", "sie") and named is not None:
                near = self.doc[speaker.start].idx - named.spans[-1][1] <= CONTINUATION_CHARS
                if near and not quote.inherited:
                    speaker.entities = [m for m in named.speaker.entities if m["label"] == "PER"][:1]
            elif speaker.resolved == "name":
                named = quote

    def _sentences(self) -> list[Span]:
        """The Doc's sentences, cut again at line breaks (a heading glued to its paragraph) and before a quotation
        mark that opens a new sentence ("…, dass der Vorfall kein Unfall gewesen sei. „Das war …“")."""
        pieces = []
        for sent in self.doc.sents:
            start = sent.start
            for i in range(sent.start, sent.end):
                if "\n" in self.texts[i]:
                    if i > start:
                        pieces.append(self.doc[start:i])
                    start = i + 1
                elif i > start and self.texts[i] in ("„", "»") and self.texts[i - 1] in SENTENCE_END:
                    pieces.append(self.doc[start:i])
                    start = i
            if start < sent.end:
                pieces.append(self.doc[start : sent.end])
        return pieces

    # direct speech -------------------------------------------------------------------------------------

    @staticmethod
    def _continue_speakers(quotes: list[Quote]) -> None:
        """A direct quote without a frame right after a framed one is the same speaker's ("…“, sagte X. „…“)."""
        for previous, quote in itertools.pairwise(quotes):
            near = quote.spans[0][0] - previous.spans[-1][1] <= CONTINUATION_CHARS
            if quote.speaker is None and quote.cue is None and previous.speaker is not None and near:
                quote.speaker, quote.inherited = previous.speaker, True

    def _direct(self, group: list[Marked]) -> Quote | None:
        """A quotation-marked quote with its frame; a short one only when it is framed like speech."""
        first = self.doc.char_span(*group[0].outer, alignment_mode="expand")
        last = self.doc.char_span(*group[-1].outer, alignment_mode="expand")
        quote = Quote([m.inner for m in group], "direct")
        if first is None or last is None:
            return quote
        inner = self.text[slice(*group[0].inner)]
        if len(group) == 1 and self._named(first.start) and not inner.rstrip().endswith((".", "!", "?")):
            return None  # "unter dem Namen „dein Baby 20“", "unter dem Motto „Wir bleiben hier“": a name, not speech
        if len(group) == 1 and looks_like_name(inner) and not is_partial_quote(inner):
            return self._short(quote, first.start, last.end)
        if len(group) > 1:  # the frame between the parts: "„…“, sagte Huber, „…“"
            frame = self.doc.char_span(group[0].outer[1], group[1].outer[0], alignment_mode="expand")
            if frame is not None and self._attribute_after(quote, frame.start, frame.end):
                return quote
        if self._attribute_after(quote, last.end, self._frame_end(last.end)):
            return quote
        self._attribute_before(quote, first.start)
        if quote.speaker is None:  # a quote inside its sentence: "Der Iran müsse „…“ beenden, so Rice."
            self._attribute_sentence(quote, first.start, last.end)
        if quote.cue is None and len(group) == 1 and self._foreign_name(inner, first.start):
            return None  # "der rechtsgaullistischen „Union pour un Mouvement Populaire“": a name, no speech
        return quote

    def _foreign_name(self, inner: str, opening: int) -> bool:
        """A quoted phrase in another language that continues a noun phrase: a name or title."""
        if inner.rstrip().endswith((".", "!", "?")) or not self._inside_phrase(opening):
            return False
        return any(word in self.cues.foreign_function_words for word in inner.lower().split())

    def _inside_phrase(self, opening: int) -> bool:
        """The quotation mark at ``opening`` continues a noun phrase: after an article, a preposition, an adjective
        or a noun ("die Bewegung „People's Alliance for Democracy“", "Im „Championnat du Monde“"), or after a
        naming word and a colon ("Motto: „…“")."""
        if opening == 0:
            return False
        before, word = self.doc[opening - 1], self.lowers[opening - 1]
        if before.is_punct:
            return word == ":" and opening > 1 and self.lowers[opening - 2] in self.cues.naming_words
        if word in self.cues.determiners or word in self.cues.prepositions:
            return True
        if before.text[:1].isupper():
            return not before.is_sent_start
        return word.endswith(ADJECTIVE_ENDINGS) and self._cue_word(opening - 1, opening) is None

    def _named(self, opening: int) -> bool:
        """The word before the opening quotation mark introduces a name ("Namen", "Motto", "genannt")."""
        return opening > 0 and self.doc[opening - 1].lower_ in self.cues.naming_words

    def _short(self, quote: Quote, opening: int, after: int) -> Quote | None:
        """ "„Wir bleiben“, sagte sie" and "Sie sagte: „Wir bleiben“" are speech; "die Zeitung „Die Zeit“" is not."""
        if after < len(self.doc) and self.doc[after].text == ",":
            return quote if self._attribute_after(quote, after, self._frame_end(after)) else None
        if opening > 0 and self.doc[opening - 1].text == ":":
            self._attribute_before(quote, opening)
            return quote
        return None

    def _attribute_sentence(self, quote: Quote, first: int, after: int) -> None:
        """The frame anywhere in the sentences the quote starts and ends in."""
        sentences = [self.doc[first].sent]
        if after < len(self.doc) and not self.doc[after].is_sent_start:
            sentences.append(self.doc[after].sent)
        for sent in sentences:
            framed = self._framed(sent)
            if framed is not None and framed.speaker is not None:
                quote.cue, quote.speaker = framed.cue, framed.speaker
                return

    def _frame_end(self, start: int) -> int:
        i = start
        while i < len(self.doc) and i - start < MAX_FRAME_TOKENS:
            if self.doc[i].text in SENTENCE_END or self.doc[i].text in OPENING_MARKS or "\n" in self.doc[i].text:
                break
            i += 1
        return i

    def _attribute_after(self, quote: Quote, start: int, end: int) -> bool:
        """ "„…“, sagte der Sprecher" / "„…“, so Huber" / "„…“, wie die Polizei mitteilte"."""
        i = start
        while i < end and self.doc[i].text in (",", "“", "”", '"', "«", "»"):
            i += 1
        if i >= end:
            return False
        word = self.doc[i].lower_
        if word == "so":
            quote.cue, quote.speaker = "so", self.speakers.after(i + 1, end)
            return quote.speaker is not None
        if word in SUBORDINATORS:
            cue = self._cue_in(i + 1, end)
            if cue is not None:
                quote.cue, quote.speaker = self._cue_word(cue, end), self.speakers.after(i + 1, cue)
                return True
            return False
        cue_word = self._cue_word(i, end)
        if cue_word is None:  # "„…“, zeigte sich der Trainer zufrieden": another verb, a named subject after it
            speaker = self.speakers.after(i + 1, end) if self.doc[i].is_lower and self.doc[i].is_alpha else None
            if speaker is None or speaker.resolved not in NAMED or self.doc[i].lower_ in self.cues.not_verbs:
                return False
            if self.lemmas[i] in self.cues.perception_verbs:  # "„…“, stellte der Beamte fest": a finding
                return False
            quote.cue, quote.speaker = self.doc[i].lemma_.lower(), speaker
            return True
        quote.cue, quote.speaker = cue_word, self.speakers.after(i + 1, end)
        return True

    def _attribute_before(self, quote: Quote, opening: int) -> None:
        """ "Huber sagte: „…“" / "Huber: „…“" / "laut Huber „…“" / "Der Kanzler nannte ihn „…“"."""
        start = opening
        while start > 0 and opening - start < MAX_LEAD_TOKENS:
            previous = self.doc[start - 1]
            if previous.text in SENTENCE_END or self.quoted[start - 1] or "\n" in previous.text:
                break
            start -= 1
        if start >= opening:
            return
        cue = self._last_cue(start, opening)
        if cue is not None:
            clause = self._clause_start(cue, start)
            quote.cue = self._cue_word(cue, opening)
            quote.speaker = self.speakers.for_cue(cue, clause, opening, start)
            return
        for i in range(start, opening):
            if self.doc[i].lower_ in self.cues.source_prepositions:
                quote.cue, quote.speaker = self.doc[i].lower_, self.speakers.phrase_at(i + 1, opening)
                return
        if self.doc[opening - 1].text == ":":
            quote.cue, quote.speaker = ":", self._colon_speaker(start, opening - 1)
            return
        subject = self.speakers.phrase_at(start, opening, subject=True)  # "Der Kanzler würdigte Ligeti als „…“"
        if subject is not None and self._subjunctive(subject.end, opening):
            return  # "Das Schicksal des Landes stehe „…“": reported speech going on, not the subject's words
        if subject is not None and (subject.resolved in NAMED or self._verb_follows(subject.end, opening)):
            quote.speaker = subject
        elif self.doc[start].lower_ in self.cues.prepositions:  # "In der Zeitung hieß es „…“": the source
            quote.speaker = self.speakers.phrase_at(start + 1, opening)

    def _impersonal(self, speaker: Speaker | None, start: int, cue: int) -> Speaker | None:
        """ "In dem Bericht heißt es, …": the source phrase, not "es"."""
        if speaker is None or speaker.text.lower() != "es":
            return speaker
        if self.lowers[start] in self.cues.prepositions:
            return self.speakers.phrase_at(start + 1, cue)
        return None

    def _verb_follows(self, i: int, end: int) -> bool:
        """A lower-case word that may be the finite verb follows the subject ("Modder nannte …")."""
        token = self.doc[i] if i < end else None
        return token is not None and token.is_lower and token.is_alpha and token.lower_ not in self.cues.not_verbs

    def _colon_speaker(self, start: int, colon: int) -> Speaker | None:
        """ "Huber: „…“", "Huber hatte eine Botschaft: „…“", "…, betrachtete Ilg das Erreichte: „…“"."""
        clause = self._clause_start(colon, start)
        first = self.doc[clause]
        if first.is_lower and first.lower_ not in self.cues.determiners:  # the verb first: subject behind it
            speaker = self.speakers.after(clause + 1, colon)
        else:
            speaker = self.speakers.phrase_at(clause, colon)
        return speaker or (self.speakers.phrase_at(start, colon) if clause > start else None)

    # framed indirect and reported speech ----------------------------------------------------------------

    def _framed(self, sent: Span) -> Quote | None:
        tokens = self.frame_tokens  # any other token opens no frame
        found = tokens[bisect_left(tokens, sent.start) : bisect_left(tokens, sent.end)]
        last = self.cues.reporting_only  # weaker than any other frame of the sentence
        for i in sorted(found, key=lambda i: self.lemmas[i] in last):
            word = self.lowers[i]
            if word in self.cues.source_prepositions:
                speaker = self.speakers.phrase_at(i + 1, sent.end)
                end = speaker.end if speaker else self._quoted_name_end(i + 1, sent.end)
                if speaker is None and end is not None:  # "Laut „BBC News“ …": the name between the marks
                    speaker = self.speakers.span(self._name_start(i + 1), end - 1)
                quote = self._source(sent, i, end, i, speaker) if speaker else None
            elif word in self.cues.source_postpositions:
                quote = self._zufolge(sent, i)
            elif word in self.cues.source_noun_prepositions:  # "nach Angaben von", "gemäß Zeugenaussagen"
                quote = self._nach_angaben(sent, i)
            elif word == "so" and i > sent.start and self.doc[i - 1].text == ",":
                speaker = self.speakers.phrase_at(i + 1, sent.end)
                tail = speaker is not None and self._source_tail(speaker.end, sent.end)
                quote = self._source(sent, i - 1, speaker.end, i, speaker) if tail else None
            else:
                cue = self._cue_word(i, sent.end)
                quote = self._verb_frame(sent, i, cue) if cue else None
            if quote is not None:
                return quote
        return None

    def _verb_frame(self, sent: Span, cue: int, cue_word: str) -> Quote | None:
        clause = self._over_quoted_name(self._clause_start(cue, sent.start), sent.start)
        clause_end = self._clause_end(cue, sent.end)
        reading = self._reading(sent, cue, cue_word, clause, clause_end)
        if reading == "none":
            return None
        if reading == "passive":  # "wurde von der Polizei mitgeteilt": the agent, else nobody
            about = "von" in self.cues.content_prepositions.get(cue_word, ())  # "wurden Fälle von Betrug berichtet"
            agent = None if about else self._agent(clause, clause_end)
            speaker = agent or self._document_source(sent.start, cue)
        elif reading == "generic":  # "man sagt": nobody in particular
            speaker = None
        else:
            wie = self._over_appositions(clause, sent.start)  # "Wie der Direktor, Smith Dharmmasaroj, mitteilte"
            speaker = self._impersonal(self.speakers.for_cue(cue, wie, clause_end, sent.start), sent.start, cue)
            clause = wie
            if speaker is None and cue_word in self.cues.source_pp_verbs:  # "Wie aus Regierungskreisen verlautete"
                speaker = self._agent(clause, clause_end, self.cues.source_pp_prepositions)
        if cue_word in self.cues.reporting_only:  # "bezeichnete die Angaben als vorläufig": frames no clause
            opener = self.lowers[clause]  # and reports only in a main clause ("…, wie die Medien sie bezeichnen")
            dependent = opener in SUBORDINATORS or opener in EMBEDDING_SUBORDINATORS or opener in RELATIVE_PRONOUNS
            if (dependent and clause > sent.start) or opener in self.cues.clause_openers:
                return None
            return self._reported(sent, cue, cue_word, clause, clause_end, speaker)
        opener = self.doc[clause].lower_
        after = clause_end + 1
        if opener == "wie" and clause > sent.start and self.doc[clause - 1].text == ",":
            return Quote([self._trim(sent.start, clause - 1)], "indirect", cue_word, speaker)  # "…, wie X sagte"
        if clause == sent.start and opener in self.cues.anaphoric_objects and cue == clause + 1:
            previous = self._previous_sentence  # "[Airbus startet am Mittwoch.] Dies gab Airbus bekannt."
            if previous is not None and speaker is not None:
                return Quote([self._trim(previous.start, previous.end)], "indirect", cue_word, speaker)
        if clause_end < sent.end and self.doc[clause_end].text in (",", ":") and after < sent.end:
            if opener == "wie" and clause == sent.start:  # "Wie X mitteilte, …"; "Als X ablehnte, …" is a time
                return Quote([self._trim(after, sent.end)], "indirect", cue_word, speaker)
            reported = None if self._consecutive(clause, after) else self._reported_clause(after, sent.end)
            if reported is not None:  # in a subordinate frame the main clause goes on after the reported one
                end = self._reported_end(reported, sent.end) if self._subordinate(clause, sent.start) else sent.end
                return Quote([self._trim(reported, end)], "indirect", cue_word, speaker)
        after_comma = clause > sent.start and self.doc[clause - 1].text == ","
        after_statement = cue == clause and after_comma
        if speaker is not None and after_comma:
            # the statement ends where the frame starts: before the cue's clause, or before the speaker found back
            # over commas ("…, hatte die Oberstaatsanwältin, Maria Navarro, gesagt"); a speaker and its apposition
            # alone are no statement ("Sonja Hammerschmid, die Vorsitzende der Uniko, fordert …")
            back = speaker.start < clause
            said = self._frame_start(speaker.start, sent.start) - 1 if back else clause - 1
            if said > sent.start and self._has_verb(sent.start, said):
                start = self._after_lead(sent.start, said)
                tail = back or self._frame_tail(speaker.end, sent.end, cue, cue_word)
                if after_statement and tail and not self._adverbial_clause(start, said):  # "…, sagte X."
                    return Quote([self._trim(start, said)], "indirect", cue_word, speaker)
                if opener in AUXILIARIES and cue == clause_end - 1:  # "…, hatte X gesagt"
                    return Quote([self._trim(sent.start, said)], "indirect", cue_word, speaker)
        return self._reported(sent, cue, cue_word, clause, clause_end, speaker)

    def _reported(
        self, sent: Span, cue: int, cue_word: str, clause: int, clause_end: int, speaker: Speaker | None
    ) -> Quote | None:
        """The whole sentence as a reported statement ("Die Gewerkschaft forderte ein Fahrverbot")."""
        if (
            cue_word in self.cues.reporting_verbs
            and speaker is not None
            and not self._question(sent)
            and self._about_something(cue_word, clause, clause_end)
            and self._subject_of(speaker, cue)
            and (speaker.resolved != "phrase" or self.cues.can_speak(self.doc[speaker.end - 1].text))
        ):
            return Quote([self._trim(sent.start, sent.end)], "reported", cue_word, speaker)
        return None

    def _question(self, sent: Span) -> bool:
        """The sentence asks ("Wieso wurde von einer friedlichen Stimmung berichtet?"): the reporter's question
        reports no statement."""
        last = next((i for i in range(sent.end - 1, sent.start - 1, -1) if not self.doc[i].is_space), None)
        return last is not None and self.texts[last] == "?"

    def _about_something(self, cue_word: str, clause: int, clause_end: int) -> bool:
        """A verb that reports only with what it is about has it in its clause or after a colon ("sprach von …",
        "spricht Klartext: …"; not "sprach mit …")."""
        needed = self.cues.content_prepositions.get(cue_word)
        if needed is None or (clause_end < len(self.texts) and self.texts[clause_end] == ":"):
            return True
        return any(self.lowers[j] in needed for j in range(clause, clause_end))

    def _reported_end(self, start: int, limit: int) -> int:
        """The end of the reported clause at ``start`` in a subordinate frame: its clause, and the clauses joined
        to it ("er gehöre keiner Partei an, sondern verstehe sich als …", "…, um …", "…, dass …")."""
        end = self._clause_end(start, limit)
        while end + 1 < limit and self.texts[end] == "," and self.lowers[end + 1] in CONTINUING_WORDS:
            end = self._clause_end(end + 1, limit)
        return end

    def _adverbial_clause(self, start: int, end: int) -> bool:
        """Tokens ``start:end`` are one subordinate clause of the frame's own sentence ("Während die Preise
        konstant bleiben sollen, erwartet sie …"), not a statement ("Wenn es … gebe, werde sie tätig, sagte X")."""
        return self.lowers[start] in EMBEDDING_SUBORDINATORS and self._clause_end(start, end) >= end

    def _after_lead(self, start: int, end: int) -> int:
        """Where a statement before its frame starts: after a lead that ends in a colon ("Nicht so für den
        Bürgermeister: Die Frage ist eine Identitätsfrage, sagt er")."""
        colons = [i for i in range(start, end) if self.texts[i].endswith(":") and self.doc[i].is_punct]  # "):"
        return colons[-1] + 1 if colons and colons[-1] + 1 < end else start

    def _frame_start(self, start: int, floor: int) -> int:
        """The start of the frame whose speaker phrase starts at ``start``, with an auxiliary clause before it
        ("hatte die Oberstaatsanwältin von Grosseto, Maria Navarro, gesagt")."""
        start = self._clause_start(start, floor)
        if start > floor + 1 and self.texts[start - 1] == ",":
            previous = self._clause_start(start - 1, floor)
            if self.lowers[previous] in AUXILIARIES:
                return previous
        return start

    def _has_verb(self, start: int, end: int) -> bool:
        """Some lower-case word that is no article, preposition or modifier inside a noun phrase: a clause, not a
        name with its apposition ("Ein Ehepaar aus Marokko, ein kleines Kind an der Hand, vertritt sich …")."""
        words = self.cues
        inside = self._noun_phrase_modifiers(start, end)
        return any(
            self.texts[i].isalpha()
            and self.texts[i].islower()
            and self.lowers[i] not in words.determiners
            and self.lowers[i] not in words.prepositions
            and i not in inside
            for i in range(start, end)
        )

    def _noun_phrase_modifiers(self, start: int, end: int) -> set[int]:
        """Lower-case words between an article or preposition and its noun, the last one inflected like an
        adjective ("ein kleines Kind", "der stark verwesten Leiche"); "Das habe Folgen" is a clause."""
        words, inside = self.cues, set()
        for d in range(start, end):
            if self.lowers[d] not in words.determiners and self.lowers[d] not in words.prepositions:
                continue
            j = d + 1
            while j < end and self.texts[j].isalpha() and self.texts[j].islower() and j - d <= MAX_MODIFIERS:
                if self._subjunctive_form(self.doc[j]) or self.lowers[j] in words.determiners:
                    break
                j += 1
            last = self.lowers[j - 1]
            if j > d + 1 and j < end and self.texts[j][:1].isupper() and last.endswith(ADJECTIVE_ENDINGS):
                inside.update(range(d + 1, j))
        return inside

    def _subordinate(self, clause: int, floor: int) -> bool:
        """The frame is a subordinate clause that opens the sentence ("Da der Mann angab, …, alarmierten …") or a
        relative clause ("brachten den Mann, der angab, …, zur Wache"): what it reports ends with its own clause."""
        opener = self.lowers[clause]
        if opener in EMBEDDING_SUBORDINATORS:  # first in the sentence, so the main clause follows it
            return clause == floor  # "…, da sie befürchtete, man wolle …, um …": the rest is what she feared
        return opener in RELATIVE_PRONOUNS and clause > floor and self.texts[clause - 1] == ","

    def _over_appositions(self, clause: int, floor: int) -> int:
        """The start of a "wie" clause whose subject has an apposition between commas ("wie der Direktor des
        Amtes, Smith Dharmmasaroj, mitteilte"); else ``clause``."""
        start = clause
        for _ in range(2):
            if start <= floor + 1 or self.texts[start - 1] != ",":
                return clause
            previous = self._clause_start(start - 1, floor)
            if self.lowers[previous] in SUBORDINATORS:
                return previous
            if self.speakers.phrase_at(previous, start - 1) is None:
                return clause
            start = previous
        return clause

    def _reported_clause(self, start: int, end: int) -> int | None:
        """Where the reported clause after the frame's comma starts: "dass …", Konjunktiv I, a zu-infinitive;
        over an apposition or an infinitive aside ("sagte Hagee, Kommandant der Marines, ohne … zu verweisen,
        dass …")."""
        for _ in range(3):
            clause_end = self._clause_end(start, end)
            if (
                self.lowers[start] in self.cues.clause_openers
                or self._subjunctive(start, clause_end)
                or self._infinitive_clause(start, clause_end)  # "erklärte, davon nichts zu wissen"
            ):
                return start
            aside = self.lowers[start] in ("ohne", "um", "statt", "anstatt")
            phrase = None if aside else self.speakers.phrase_at(start, clause_end)
            if not (aside or (phrase is not None and phrase.end >= clause_end)) or clause_end + 1 >= end:
                return None
            if self.texts[clause_end] != ",":
                return None
            start = clause_end + 1
        return None

    def _consecutive(self, clause: int, start: int) -> bool:
        """A "dass" clause at ``start`` that is the consequence of "derart …", "so stark …" in the frame's clause
        from ``clause`` ("erzählen dermaßen unterschiedliche Versionen, dass einem der Kopf schwirrt")."""
        if self.lowers[start] not in ("dass", "daß"):
            return False
        words = self.lowers[clause : start - 1]  # the clause without its comma
        return any(
            word in CONSECUTIVE_WORDS
            or (
                0 < j < len(words) - 2
                and word == "so"
                and following.isalpha()
                and following not in self.cues.determiners
            )
            for j, (word, following) in enumerate(itertools.pairwise([*words, ""]))
        )  # "so stark erodiert, dass …"; "So berichtete X, dass …" and "stellte es so dar, dass …" frame it

    def _infinitive_clause(self, start: int, end: int) -> bool:
        """ "von solchen Absprachen nichts zu wissen", "keine Almosen anzunehmen": ends in a zu-infinitive."""
        if end - start < 2 or self.lowers[start] in ("um", "ohne", "statt", "anstatt"):
            return False  # "…, um den Mann zu bewegen": a purpose, not what was said
        last = self.lowers[end - 1]
        joined = any(last.startswith(p + "zu") and len(last) > len(p) + 4 for p in self.cues.separable_particles)
        return self.lowers[end - 2] == "zu" or joined

    def _reading(self, sent: Span, cue: int, cue_word: str, clause: int, clause_end: int) -> str:
        """How the verb of saying at ``cue`` reads: ``active``, ``passive`` (a report without its speaker),
        ``generic`` ("man sagt") or ``none`` (no statement: an appeal to the public, an accusation in the
        passive, "man" with a modal, a sense of the verb that is an act: "bestritt 106 Länderspiele", or a
        reflexive one: "Der Verdacht bestätigte sich")."""
        words = self.cues
        passive = self._passive(cue, clause, clause_end)
        if passive and cue_word in words.accusation_verbs:
            return "none"  # "Ihnen werden … vorgeworfen"
        if cue_word in words.appeal_verbs and any(
            self.lowers[j] in words.public_words for j in range(sent.start, sent.end)
        ):
            return "none"  # "Die Polizei bittet um Hinweise", "Zeugen werden gebeten, …"
        if words.act_object(cue_word, self.texts[clause:clause_end]):
            return "none"
        clause_words = self.lowers[clause:clause_end]
        if cue_word in words.reflexive_not_speech and self._reflexive(cue, clause, clause_end):
            return "none"  # "Der Verdacht hat sich nicht bestätigt", "Ein Duell kündigt sich an"
        if any(w in words.generic_subjects for w in clause_words):  # "man" is always the subject
            return "none" if any(w in words.modal_verbs for w in clause_words) else "generic"
        return "passive" if passive else "active"

    def _reflexive(self, cue: int, clause: int, clause_end: int) -> bool:
        """The cue's own verb phrase has "sich" ("bestätigte sich"; not "bietet sich an und verspricht") and no word
        that makes it speech ("meldete sich zu Wort")."""
        start = next((j + 1 for j in range(cue - 1, clause - 1, -1) if self.lowers[j] in COORDINATORS), clause)
        words = self.lowers[start:clause_end]
        return "sich" in words and not any(w in self.cues.reflexive_speech_words for w in words)

    def _passive(self, cue: int, clause: int, clause_end: int) -> bool:
        """The cue is a past participle beside a form of "werden" in its clause ("wurde mitgeteilt")."""
        if not any(self.lowers[j] in self.cues.passive_auxiliaries for j in range(clause, clause_end)):
            return False
        text = self.lowers[cue]
        if text == self.lemmas[cue] or not text.endswith(("t", "en")):
            return False  # an infinitive: "wird erklären" is the future
        particles = sorted(self.cues.separable_particles, key=len, reverse=True)
        bare = next((text[len(p) :] for p in particles if text.startswith(p) and len(text) > len(p) + 4), text)
        following = self.lowers[cue + 1] if cue + 1 < clause_end else ""
        return bare.startswith("ge") or cue + 1 >= clause_end or following in self.cues.passive_auxiliaries

    def _agent(self, clause: int, clause_end: int, prepositions: frozenset[str] | None = None) -> Speaker | None:
        """ "von der Polizei" in a passive clause ("aus Regierungskreisen" with "verlauten")."""
        prepositions = self.cues.agent_prepositions if prepositions is None else prepositions
        for j in range(clause, clause_end):
            if self.lowers[j] in prepositions:
                speaker = self.speakers.phrase_at(j + 1, clause_end)
                if speaker is not None:
                    return speaker
        return None

    def _document_source(self, start: int, cue: int) -> Speaker | None:
        """ "In einer Stellungnahme des Ministeriums wird … begründet": the fronted document speaks."""
        if self.lowers[start] not in self.cues.prepositions:
            return None
        phrase = self.speakers.phrase_at(start + 1, cue)
        heads = (
            [self.lowers[j] for j in range(phrase.start, phrase.end) if self.texts[j][:1].isupper()] if phrase else []
        )
        return phrase if heads and heads[0].endswith(self.cues.document_nouns) else None

    def _source_speaker(self, sent: Span, start: int, end: int, speaker: Speaker) -> Speaker | None:
        """ "nach eigenen Angaben" is the subject of the clause; "nach ihren Angaben" the person named before
        (else the subject of the clause)."""
        first = self.lowers[speaker.start]
        if first in self.cues.possessives:
            resolved = self.speakers.possessor(speaker)
            if resolved is not None:
                return resolved
        elif first not in self.cues.reflexive_sources:
            return speaker
        if start == sent.start or self.texts[start - 1] in (",", ":"):  # "Nach eigenen Angaben war der Mann …"
            return self.speakers.after(end, sent.end)
        return self.speakers.before(self._clause_start(start, sent.start), start, sent.start)

    def _source(self, sent: Span, start: int, end: int, cue: int, speaker: Speaker | None) -> Quote | None:
        """The sentence around a source frame (tokens ``start:end``), as an indirect quote."""
        if speaker is None:
            return None
        speaker = self._source_speaker(sent, start, end, speaker)
        spans = [self._trim(sent.start, start), self._trim(end, sent.end)]
        spans = [s for s in spans if s[1] - s[0] > 10]
        return Quote(spans, "indirect", self.doc[cue].lower_, speaker) if spans else None

    def _zufolge(self, sent: Span, post: int) -> Quote | None:
        """ "Der Polizei zufolge …": the phrase that ends right before the postposition."""
        clause = self._clause_start(post, sent.start)
        for i in range(clause, post):
            speaker = self.speakers.phrase_at(i, post)
            if speaker is not None and speaker.end == post:
                return self._source(sent, self._evidence_before(clause, i), post + 1, post, speaker)
        return None

    def _evidence_before(self, clause: int, start: int) -> int:
        """The start of a source phrase with the investigation named before it: "Ersten Erkenntnissen und
        Zeugenaussagen zufolge" is one source, so "Ersten Erkenntnissen und" is no part of the quote."""
        if start - 1 <= clause or self.lowers[start - 1] not in ("und", "sowie"):
            return start
        for j in range(clause, start - 1):
            if phrase_end(self.doc, j, start - 1, self.speakers.entity_end) == start - 1:
                return j
        return start

    def _nach_angaben(self, sent: Span, nach: int) -> Quote | None:
        """ "nach Angaben der Polizei", "nach Angaben von Huber"; "nach israelischen Militärangaben" is its own
        source."""
        phrase = self.speakers.phrase_at(nach + 1, sent.end) or self._statements_beside_evidence(nach + 1, sent.end)
        if phrase is None or (nach > sent.start and self.lowers[nach - 1] in self.cues.determiners):
            return None  # "den nach eigenen Angaben 37 Jahre alten Mann": the source of one attribute
        nouns = [j for j in range(phrase.start, phrase.end) if self._source_noun(self.texts[j])]
        if not nouns:
            informant = self._informant(phrase, sent.end)
            return self._source(sent, nach, informant.end, nach, informant) if informant else None
        if nouns[0] + 1 == phrase.end and self._genitive_plural(phrase.end, sent.end):
            # "nach Angaben unabhängiger Experten": a genitive without article names who gave them; it ends with
            # its noun ("… Experten Senfgas eingesetzt": "Senfgas" is the object)
            speaker = self.speakers.phrase_at(phrase.end, phrase.end + 2) or phrase
        elif nouns[0] + 1 == phrase.end or nouns[0] + 1 >= sent.end:  # nothing attached: the phrase is the source
            speaker = phrase
        else:
            i = nouns[0] + 1
            if self.lowers[i] in ("von", "vom"):
                i += 1
                attached = self.speakers.phrase_at(i, sent.end)
                if self.texts[nouns[0]] in self.cues.evidence_nouns and (
                    attached is None or attached.resolved == "phrase"
                ):
                    return None  # "nach derzeitigen Erkenntnissen von einer Brandstiftung (ausgehen)": a finding
            speaker = self.speakers.phrase_at(i, sent.end) or phrase
        return self._source(sent, nach, speaker.end, nach, speaker) if speaker else None

    def _over_quoted_name(self, clause: int, floor: int) -> int:
        """A clause that starts after the closing mark of a quoted name inside a noun phrase ("Der Sender „Channel
        10“ berichtete") starts with that phrase."""
        if clause <= floor or self.texts[clause - 1] not in CLOSING_MARKS:
            return clause
        closing = self.doc[clause - 1].idx
        group = next((g for g in self.marked if len(g) == 1 and g[0].outer[1] == closing + 1), None)
        if group is None or not looks_like_name(self.text[slice(*group[0].inner)]):
            return clause
        opening = self.doc.char_span(*group[0].outer, alignment_mode="expand")
        if opening is None or opening.start <= floor or self.doc[opening.start - 1].is_punct:
            return clause
        return self._clause_start(opening.start, floor)

    def _quoted_name_end(self, start: int, limit: int) -> int | None:
        """After "laut" (token ``start - 1``), a name in quotation marks, maybe after an article ("laut dem
        „Spiegel“"): the token after its closing mark; None when there is none or "laut" is "loudly"."""
        i = self._name_start(start) - 1
        loudly = start >= 2 and self.lemmas[start - 2] in self.cues.sound_verbs  # "rief laut „Hilfe“"
        if i >= limit or self.texts[i] not in OPENING_MARKS or loudly:
            return None
        opening = self.doc[i].idx
        group = next((g for g in self.marked if len(g) == 1 and g[0].outer[0] == opening), None)
        if group is None or not looks_like_name(self.text[slice(*group[0].inner)]):
            return None
        span = self.doc.char_span(*group[0].outer, alignment_mode="expand")
        return span.end if span is not None and span.end <= limit and span.end - i > 2 else None

    def _name_start(self, start: int) -> int:
        """The first token of a quoted name after ``start``: past an article and the opening mark."""
        return start + (self.lowers[start] in self.cues.determiners) + 1

    def _informant(self, phrase: Speaker, limit: int) -> Speaker | None:
        """ "nach Informationen des Bundesnachrichtendienstes": information someone gave is their statement, like
        "nach Angaben der Polizei"; information alone ("nach bisherigen Informationen") is what is known."""
        informing = self.cues.informing_nouns
        evidence = next((j for j in range(phrase.start, phrase.end) if self.texts[j] in informing), None)
        if evidence is None or evidence + 1 >= limit or self.lowers[evidence + 1] not in GENITIVE_ARTICLES:
            return None
        return self.speakers.phrase_at(evidence + 1, limit)

    def _genitive_plural(self, i: int, limit: int) -> bool:
        """ "unabhängiger Experten", "mehrerer Zeugen": an adjective in -er before a capitalised noun, the genitive
        plural that follows a source noun without an article."""
        return (
            i + 1 < limit
            and self.texts[i].islower()
            and self.lowers[i].endswith("er")
            and self.lowers[i] not in self.cues.function_words
            and self.lowers[i] not in self.cues.prepositions
            and self.lowers[i] not in COORDINATORS
            and self.texts[i + 1][:1].isupper()
        )

    def _statements_beside_evidence(self, start: int, limit: int) -> Speaker | None:
        """ "nach den bisherigen Ermittlungen und Aussagen von Zeugen": the investigation is nobody, but the
        statements named beside it are a source (a finding alone, "nach den bisherigen Ermittlungen", is none)."""
        end = phrase_end(self.doc, start, limit, self.speakers.entity_end)
        if end == start or end + 1 >= limit or self.lowers[end] not in ("und", "sowie"):
            return None
        joined = self.speakers.phrase_at(end + 1, limit)
        if joined is None or not any(self._source_noun(self.texts[j]) for j in range(joined.start, joined.end)):
            return None
        return joined

    # helpers ---------------------------------------------------------------------------------------------

    def _source_noun(self, word: str) -> bool:
        """ "Angaben", and compounds ending in a source noun ("Militärangaben", "Polizeiangaben")."""
        lower = word.lower()
        return word[:1].isupper() and lower.endswith(self.cues.source_noun_endings)

    def _cue_word(self, i: int, limit: int) -> str | None:
        """The cue lemma when token ``i`` is a speech verb (a particle verb needs its particle in the clause)."""
        lemma = self.lemmas[i]
        if lemma not in self.cues.speech_verbs and lemma not in self.cues.particle_verbs:
            return None
        if self.lowers[i] in self.cues.determiners:  # "einige" is no form of "einigen"
            return None
        if self._non_finite(i):  # "ist davon auszugehen", "ohne … zu verweisen", "entscheidend": nobody says it
            return None
        token = self.doc[i]
        if self.quoted[i] or not token.is_alpha or (token.text[:1].isupper() and i and not self._starts_clause(i)):
            return None
        end = self._clause_end(i, limit)
        if lemma in self.cues.particle_verbs:  # the particle closes the clause: "teilte … mit", not "nahm an sich"
            for j in range(i + 1, end):
                cue = self.cues.verb(lemma, self.lowers[j])
                closes = j == end - 1 or self.lowers[j + 1] in ("und", "oder", "sowie")
                if cue and cue != lemma and closes:
                    return cue
        for j in range(i + 1, end):  # "Er sagte die Veranstaltung ab", "sprach sie an und …": no speech
            closes = j == end - 1 or self.lowers[j + 1] in ("und", "oder", "sowie")
            if closes and self.lowers[j] in self.cues.separable_particles:
                return None
        return self.cues.verb(lemma)

    def _non_finite(self, i: int) -> bool:
        """A zu-infinitive ("zu erklären", "auszugehen") or a present participle ("entscheidend")."""
        word = self.lowers[i]
        if i and self.lowers[i - 1] == "zu":
            return True
        if i + 2 < len(self.lowers) and self.lowers[i + 1] == "zu" and self.lowers[i + 2] in self.cues.modal_verbs:
            return True  # "Akteneinsicht verlangen zu können"
        if word.endswith(("end", "ende", "enden", "ender", "endes", "endem")) and word != self.lemmas[i]:
            return True
        lemma = self.lemmas[i]  # "auszugehen" is "aus" + "zu" + "gehen", lemma "ausgehen"
        return any(word.startswith(p + "zu") and lemma == p + word[len(p) + 2 :] for p in self.cues.separable_particles)

    def _starts_clause(self, i: int) -> bool:
        return is_break(self.doc[i - 1]) or self.doc[i - 1].text in SENTENCE_END

    def _last_cue(self, start: int, end: int) -> int | None:
        """The last verb of saying before a quote; one in Konjunktiv I is itself reported, no frame."""
        for i in range(end - 1, start - 1, -1):
            if self._cue_word(i, end) and not self._subjunctive_form(self.doc[i]):
                return i
        return None

    def _cue_in(self, start: int, end: int) -> int | None:
        for i in range(start, end):
            if self._cue_word(i, end):
                return i
        return None

    def _clause_start(self, i: int, floor: int) -> int:
        while i > floor and not is_break(self.doc[i - 1]):
            i -= 1
        return i

    def _clause_end(self, i: int, ceiling: int) -> int:
        while i < ceiling and not is_break(self.doc[i]) and self.doc[i].text not in SENTENCE_END:
            i += 1
        return i

    def _subjunctive(self, start: int, end: int) -> bool:
        """Konjunktiv I (or II in its place) in tokens ``start:end``: listed forms, or stem + e ("beginne")."""
        return any(self._subjunctive_form(self.doc[i]) for i in range(start, end))

    def _subjunctive_form(self, token: Token) -> bool:
        text = token.text
        if text in self.cues.subjunctive_forms:
            return True
        lemma = token.lemma_  # "beginne" -> "beginnen": stem + e, the third person of Konjunktiv I
        return text.islower() and lemma == text + "n" and text.endswith("e") and text not in self.cues.determiners

    @staticmethod
    def _subject_of(speaker: Speaker, cue: int) -> bool:
        """A subject phrase, or a pronoun right beside its verb ("Er forderte …", "Dann forderte sie …")."""
        beside = speaker.end == cue or speaker.start == cue + 1
        return speaker.resolved != "pronoun" or beside

    def _source_tail(self, i: int, end: int) -> bool:
        """After "…, so X": nothing, a relative clause or a prepositional phrase ("so Celebi im Stadt-Anzeiger")."""
        return self._only_punct(i, end) or self.texts[i] == "," or self.lowers[i] in self.cues.prepositions

    def _ends_clause(self, i: int, end: int) -> bool:
        return self._only_punct(i, end) or self.doc[i].text == ","

    def _frame_tail(self, i: int, end: int, cue: int, cue_word: str) -> bool:
        """After the speaker of "…, sagte X" only what a frame adds before its clause ends: adverbs, times,
        prepositional phrases, an addressee in the dative and the particle of the cue ("…, teilte der Minister
        am Montag der Zeitung mit", "…, sagte Lanzer dem Sender „Al Jazeera“"); no second verb, no object."""
        end = self._clause_end(i, end)
        particle = cue_word != self.lemmas[cue]  # "teilte … mit": the particle closes the frame
        speakers, words = self.speakers, self.cues
        while i < end:
            word = self.lowers[i]
            skipped = self.doc[i].is_punct or self.doc[i].is_space or self.quoted[i] or i in speakers.temporal
            if skipped or word in words.fronted or word in TAIL_ADVERBS:
                i += 1
            elif word in COORDINATORS:  # "…, schrie sie an und wiederholte …": a second verb follows
                return False
            elif word in words.prepositions and i + 1 < end and self.lowers[i + 1] not in COORDINATORS:
                i = speakers.past_prepositional_phrase(i, end)
            elif i in speakers.entity_end:
                i = speakers.entity_end[i]
            elif particle and i == end - 1 and word in words.separable_particles:
                i += 1
            else:
                phrase = phrase_end(self.doc, i, end, speakers.entity_end)
                if phrase == i or not speakers.oblique(i, phrase):
                    return False
                i = phrase
        return True

    def _only_punct(self, start: int, end: int) -> bool:
        return all(self.doc[i].is_punct or self.doc[i].is_space for i in range(start, end))

    def _past_dateline(self, start: int, end: int) -> int:
        """The token after a dateline that opens the sentence at ``start`` ("Wien – Sie war …", "Hanoi / Phnom
        Penh – …"): the place is no part of what was said."""
        dash = next((j for j in range(start, min(end, start + MAX_DATELINE_TOKENS)) if self.texts[j] in DASHES), None)
        if dash is None or dash == start or self.doc[start].idx > DATELINE_CHARS:
            return start
        lead = self.text[self.doc[start].idx : self.doc[dash].idx]
        return dash + 1 if any(part.strip() in lexicon.places() for part in lead.split("/")) else start

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        """Character span of tokens ``start:end`` without edge punctuation and blanks (nor a dateline)."""
        start = self._past_dateline(start, end)
        while end > start and (self.doc[end - 1].is_punct or self.doc[end - 1].is_space):
            end -= 1
        while start < end and (self.doc[start].is_punct or self.doc[start].is_space):
            start += 1
        if start >= end:
            return (self.doc[min(start, len(self.doc) - 1)].idx, self.doc[min(start, len(self.doc) - 1)].idx)
        return (self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1].text))
