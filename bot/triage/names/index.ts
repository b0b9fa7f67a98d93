import { isLibraryPath } from '../parse.js';
import type { ErrorRecord, Frame, ParsedPaste } from '../types.js';
import { resolveTableAliases } from './aliases.js';
import { wholeQuotedNames } from './quoted.js';
import { ROLE_NAMES, roleOf, type Role } from './roles.js';
import { addedObjectSource } from './sources/added.js';
import { codeSource } from './sources/code.js';
import { cutMessageSource } from './sources/cut.js';
import { databaseSource } from './sources/database.js';
import { djangoSource } from './sources/django.js';
import { mapperSource } from './sources/mapper.js';
import { messageSource } from './sources/message.js';
import { ormPropertySource } from './sources/orm-property.js';
import { ormReadSource } from './sources/orm-read.js';
import { pathSource } from './sources/path.js';
import { postgresTranslatedSource } from './sources/postgres-translated.js';
import { pydanticSource } from './sources/pydantic.js';
import { pydanticConstructorSource } from './sources/pydantic-constructor.js';
import { pythonSource, splitLocalsQualname } from './sources/python.js';
import { shownSource } from './sources/shown.js';
import { sqlSource } from './sources/sql.js';
import { wrappedDatabaseSource } from './sources/wrapped.js';
import type { CodeLine, NameContext, NameFinding, NameSource, ResolvedName } from './types.js';
import { classNameForTable, isHiddenName, isPlumbingFrame, isStandInName, isPlural, pascal, singular, snakeName, stripBrackets } from './words.js';

/** The declared sources, in the order their findings break ties. */
export const NAME_SOURCES: readonly NameSource[] = [messageSource, ormPropertySource, djangoSource, databaseSource, wrappedDatabaseSource, cutMessageSource, postgresTranslatedSource, mapperSource, pydanticSource, pythonSource, codeSource, pydanticConstructorSource, ormReadSource, addedObjectSource, sqlSource, pathSource, shownSource];

/** The innermost user frame's code of each record, primary first; an installed app's when no user frame. */
function failingLines(ordered: ErrorRecord[]): CodeLine[] {
  const lines: CodeLine[] = [];
  for (const r of ordered) {
    for (let i = r.frames.length - 1; i >= 0; i--) {
      const f = r.frames[i];
      if (f && !f.library && f.code && !isPlumbingFrame(f, r.frames)) { lines.push({ code: f.code, user: true, frame: f }); break; }
    }
  }
  if (lines.length) return lines;
  // An application installed as a package (an egg, a Docker image's site-packages): its own frames
  // are still the best code the paste shows, but rank below a user's.
  for (const r of ordered) {
    for (let i = r.frames.length - 1; i >= 0; i--) {
      const f = r.frames[i];
      if (f && f.code && !isPlumbingFrame(f, r.frames) && !/[\\/]lib[\\/]python\d(?:\.\d{1,2})?[\\/](?!site-packages|dist-packages)/.test(f.file)) { lines.push({ code: f.code, user: false, frame: f }); break; }
    }
  }
  return lines;
}

/** The user's frames around the failing one, innermost first: `Elevation.get(fix.location_wkt)` calls the failing `get`. */
function outerLines(ordered: ErrorRecord[], failing: CodeLine[]): CodeLine[] {
  const lines: CodeLine[] = [];
  const seen = new Set(failing.map((l) => l.frame));
  for (const r of ordered) {
    for (let i = r.frames.length - 1; i >= 0 && lines.length < 4; i--) {
      const f = r.frames[i];
      if (f && f.code && !f.library && !isPlumbingFrame(f, r.frames) && !seen.has(f)) lines.push({ code: f.code, user: true, frame: f });
    }
  }
  return lines;
}

// A frame header the parser did not attach to an exception (the paste stops at a library frame,
// drops the final line, or prints frames flush left or in its own quoting):
// `  File "/app/x.py", line 12, in handler`, `File '/project/db.py', line 112 in init_db`.
const LOOSE_FRAME = /^\s{0,16}File ["']([^"'\n]{1,1000})["'], line (\d{1,9}),? in ([\w<>.]{1,300})\s*$/;
// The same header behind a log prefix the normaliser does not know, repeated on every line
// (oslo's `21187 TRACE tuskar.api.controllers.v1   File "..."`), or with `File "` cut off by the
// poster (`.../blog.py", line 7, in blog_index`).
const PREFIXED_FRAME = /^([^"'\n]{1,160}?\s)File ["']([^"'\n]{1,1000})["'], line (\d{1,9}),? in ([\w<>.]{1,300})\s*$/;
const CUT_FRAME = /^\s{0,16}(?:\.{3}|…)?([\w./\\-]{0,1000}\.py)["'], line (\d{1,9}),? in ([\w<>.]{1,300})\s*$/;
// Django's old debug page: `File "./rango/views.py" in category` with the code below as `  106.  category = ...`.
const DJANGO_FRAME = /^\s{0,8}File "([^"\n]{1,1000})" in ([\w<>.]{1,300})\s*$/;
const DJANGO_CODE = /^\s{0,8}\d{1,6}\.\s{1,40}/;
// Bugsnag's and some error mails' stack lines: `kono_data/views/process.py:37 - process`, innermost first.
const DASH_FRAME = /^\s{0,8}([\w.\\/-]{1,1000}\.py):(\d{1,9}) - ([\w<>]{1,300})\s*$/;
// An error tracker's stack lines in the JavaScript style, innermost first (gyrinx's issues): `at .get_queryset (
// /app/gyrinx/core/views/list.py:3561 )`, also without the dot and the inner spaces: `at campaign_asset_transfer (/app/x.py:1534)`.
const AT_FRAME = /^\s{0,8}at \.?([\w<>]{1,300}) \( ?([^\s()]{1,1000}\.py):(\d{1,9}) ?\)\s*$/;
// IPython before 8 heads each frame with the file and the function's signature, then lists the source around the failing line,
// marked by an arrow: `/usr/local/lib/python3.10/dist-packages/text_generation/client.py in generate(self, prompt, ...)` /
// `--> 150         return Response(**payload[0])`.
// A cell's frame is `<ipython-input-2-efe4a7ae9889> in <module>`.
const IPYTHON_FRAME = /^\s{0,8}(\S[^\s]{0,1000}\.py|<ipython-input-[\w-]{1,80}>) in ([\w<>]{1,300})(?:\(|\s*$)/;
const IPYTHON_ARROW = /^\s{0,8}-{1,8}> {0,4}\d{1,6} {1,40}(\S.{0,1000})$/;
// IPython 8 names a cell and a file by line: `Cell In[15], line 4` (`, in f` inside a function), `File ~/x/main.py:263, in
// BaseModel.__init__(self, **data)`; Jupyter may render the file as a link: `File [~/.venv/.../main.py:263](http://...), in ...`.
const IPYTHON8_FRAME = /^\s{0,8}(?:Cell (In ?\[\d{1,6}\]), line \d{1,9}(?:, in ([\w<>.]{1,300}))?|File \[?([^\s\]]{1,1000}\.py):\d{1,9}(?:\]\([^)\s]{0,1000}\))?, in ([\w<>.]{1,300}))/;
// Sentry's issue page copied as text, innermost first: `galaxy/model/tool_shed_install/__init__.py in
// tool_dependencies_installed_or_in_error at line 567` (an `In App` line under the app's own frames).
const SENTRY_TEXT_FRAME = /^\s{0,8}([\w.\\/<>-]{1,1000}\.py) in ([\w<>.]{1,300}) at line (\d{1,9})\s*$/;
// A header whose file the poster cut: ` line 306, in get_assessment`.
const BARE_FRAME = /^\s{0,16}line (\d{1,9}), in (\w{1,300})\s*$/;

// pytest's long format: `../../conftest.py:74: in db_instance_manager`, the code indented below.
const PYTEST_LOOSE_FRAME = /^()([^\s:][^:]{0,1000}\.py):(\d{1,9}): in (\S{1,300})$/;
// pytest's long format for a frame whose source it lists: the function's lines, the failing one marked
// by `>` (`>       res = self.app.post_json(...)`), then the locator `bodhi/tests/test_updates.py:732:`
// (with the exception's name after it on the innermost frame).
const PYTEST_MARKED = /^>\s{1,40}(\S.{0,1000})$/;
const PYTEST_LOCATOR = /^([^\s:][^:]{0,1000}\.py):(\d{1,9}):(?: [A-Za-z_][\w.]{0,200})?\s*$/;
const PYTEST_DEF = /^\s{0,40}(?:async\s{1,4})?def (\w{1,300})\(/;
const PYTEST_LISTED = /^\s{4,}\S/;

/** The statements a listed pytest frame shows above its failing line: they ran in the same function. */
const listedBefore = new WeakMap<Frame, string[]>();

function looseFrames(raw: readonly string[]): Frame[] {
  const frames: Frame[] = [];
  const dashFrames = new Set<Frame>();
  const lines = raw.map((l) => (l.startsWith('[') ? stripBrackets(l) : l));
  let marked: string | null = null;
  let listedFunc = '';
  let listed: string[] = [];
  for (let i = 0; i < lines.length && frames.length < 200; i++) {
    const p = PYTEST_LOOSE_FRAME.exec(lines[i] ?? '');
    if (p) {
      const file = p[2] ?? '';
      const next = lines[i + 1] ?? '';
      frames.push({ file, line: Number(p[3]), func: p[4] ?? '', code: /^\s{2,}\S/.test(next) ? next.trim() : '', library: isLibraryPath(file) });
      marked = null;
      listed = [];
      continue;
    }
    const raw0 = lines[i] ?? '';
    if (raw0.startsWith('>')) {
      const mk = PYTEST_MARKED.exec(raw0);
      if (mk?.[1] && mk[1] !== '???') { marked = mk[1].trim(); continue; }
    }
    if (marked === null && PYTEST_LISTED.test(raw0)) {
      const d = PYTEST_DEF.exec(raw0);
      if (d?.[1]) { listedFunc = d[1]; listed = []; } else if (listed.length < 40) listed.push(raw0.trim());
    }
    if (marked !== null && raw0.includes('.py:')) {
      const loc = PYTEST_LOCATOR.exec(raw0);
      if (loc) {
        const file = loc[1] ?? '';
        const frame: Frame = { file, line: Number(loc[2]), func: listedFunc, code: marked, library: isLibraryPath(file) };
        if (listed.length) listedBefore.set(frame, listed);
        frames.push(frame);
        marked = null;
        listedFunc = '';
        listed = [];
        continue;
      }
    }
    const line = lines[i] ?? '';
    let m = LOOSE_FRAME.exec(line);
    let next = lines[i + 1] ?? '';
    if (!m && line.includes('File ')) {
      const p = PREFIXED_FRAME.exec(line);
      if (p?.[1] && next.startsWith(p[1].trimEnd())) {
        m = [p[0], p[2] ?? '', p[3] ?? '', p[4] ?? ''] as unknown as RegExpExecArray;
        next = next.slice(p[1].trimEnd().length);
      }
    }
    if (!m && line.includes('.py')) m = CUT_FRAME.exec(line);
    if (!m && line.includes('" in ')) {
      const d = DJANGO_FRAME.exec(line);
      if (d && DJANGO_CODE.test(next)) {
        m = [d[0], d[1] ?? '', '0', d[2] ?? ''] as unknown as RegExpExecArray;
        next = next.replace(DJANGO_CODE, '');
      }
    }
    if (!m && line.includes('line ')) {
      const b = BARE_FRAME.exec(line);
      if (b) m = [b[0], '', b[1] ?? '0', b[2] ?? ''] as unknown as RegExpExecArray;
    }
    if (!m && (line.includes('.py in ') || line.includes('> in ') || line.includes('Cell In') || line.includes('.py:'))) {
      const ip8 = IPYTHON8_FRAME.exec(line);
      const ip = ip8 ? [ip8[0], ip8[1] ? `<ipython-input-${ip8[1]}>` : ip8[3] ?? '', ip8[2] ?? ip8[4] ?? '<module>'] : IPYTHON_FRAME.exec(line);
      let code = '';
      for (let j = i + 1; ip && j < Math.min(lines.length, i + 16); j++) {
        const arrow = (lines[j] ?? '').includes('> ') ? IPYTHON_ARROW.exec(lines[j] ?? '') : null;
        if (arrow?.[1]) { code = arrow[1].trim(); break; }
        if (IPYTHON_FRAME.test(lines[j] ?? '') || IPYTHON8_FRAME.test(lines[j] ?? '')) break;
      }
      if (ip && code) {
        const file = ip[1] ?? '';
        frames.push({ file, line: 0, func: ip[2] ?? '', code, library: isLibraryPath(file) });
        continue;
      }
    }
    if (!m && ((line.includes('.py:') && (line.includes(' - ') || line.includes('at '))) || line.includes(' at line '))) {
      const sentry = line.includes(' at line ') ? SENTRY_TEXT_FRAME.exec(line) : null;
      const at = sentry || DASH_FRAME.test(line) || !line.includes('.py:') ? null : AT_FRAME.exec(line);
      const d = sentry ? [sentry[0], sentry[1], sentry[3], sentry[2]] : at ? [at[0], at[2], at[3], at[1]] : DASH_FRAME.exec(line);
      if (d) {
        // Listed innermost first: each goes before the dash frames already read.
        const file = d[1] ?? '';
        let at = frames.length;
        while (at > 0 && dashFrames.has(frames[at - 1] as Frame)) at--;
        const frame: Frame = { file, line: Number(d[2]), func: d[3] ?? '', code: '', library: isLibraryPath(file) };
        dashFrames.add(frame);
        frames.splice(at, 0, frame);
        continue;
      }
    }
    if (!m) continue;
    const code = LOOSE_FRAME.test(next) || /File ["']|\.py["'], line \d/.test(next) || /^\S+(?:Error|Exception|Warning)\b|^\s*[~^]+\s*$/.test(next) ? '' : next.trim();
    const file = m[1] ?? '';
    frames.push({ file, line: Number(m[2]), func: m[3] ?? '', code, library: isLibraryPath(file) });
  }
  return frames;
}

// Code a paste shows outside frames: a REPL line, a backticked span in the poster's words.
// (The normaliser reads one `>` as a block quote: a pasted `>>> x` arrives as `>> x`.)
// IPython numbers its prompt and marks continuation lines: `In [1]: from polls.models import *`,
// `   ...: q = Question(question_text="Quoi de neuf ?")`.
const REPL = /^\s{0,8}(?:>{2,3}|In \[\d{1,6}\]:|\.{3}:) (.{3,400})$/;
const BACKTICKED = /`([^`\n]{3,300}[.(][^`\n]{0,300})`/g;
// A line that opens a backticked span and does not close it: `` `posts = Post.query.all() ``.
const SPAN_OPEN = /^`([^`\n]{3,300}[.(][^`\n]{0,300})$/;
// A span quoting the database's words (`no such column: message.error`, `column t1.x does not exist`) is the message too:
// its `message.error` is a table and a column, not a variable's attribute.
const ERROR_SPAN = /^\s{0,4}(?:[\w.]{1,200}\.)?\w{1,100}(?:Error|Exception|Warning|Greenlet|Found|Timeout)\b:|sqlalche\.me\/e\/|\bno such (?:column|table):|\bcolumn "?\w{1,63}"?\.?"?\w{0,63}"? does not exist|\bconstraint failed:/;

// `fixture(TeamMember, user=john)`, `row = await conn.fetchrow(query, 1)`: one call as a whole statement.
// `myTable = Table.query.all()`, `B.objects.create(a_id=1)`: a class's manager called is a statement too.
// A chain of calls inside one (`print(db.session.query(ContactGroup).filter(ContactGroup.created_by == 1))`) is one statement too.
const CALL_STATEMENT = /^\s{0,8}(?:[a-z_]\w{0,40}\s{0,2}=\s{0,2})?(?:await\s{1,4})?(?:[a-z_]|[A-Z]\w{0,80}\.(?:objects|query)\.)[\w.]{0,80}\([^()\n]{0,200}(?:\([^()\n]{0,100}\)[^()\n]{0,100}){0,4}\)\s{0,4}$/;
const TRACEBACK_LINE = /^\s{0,8}Traceback \(most recent call last\):\s*$/;
const TRACEBACK_TAIL = /Traceback \(most recent call last\):\s*$/;
// A traceback logged as a string: `{'traceback': 'Traceback (most recent call last):\\n  File "/work/src/x.py", ...`.
const ESCAPED_TRACEBACK = /Traceback \(most recent call last\):\\n|\\n {1,8}File "/;

// A traceback whose line breaks were lost (pasted into a one-line field, or a comment's inline code):
// `File "/src/utils/ioc.py", line 63, in get_cursor async with await x.get_conn() as conn: ^^^^ File "...`.
const FLAT_FRAME = /^(File ["'][^"'\n]{1,1000}["'], line \d{1,9},? in [\w<>.]{1,300}) (\S.{0,4000})$/;

/** One flattened line as the traceback's own lines: each frame header, then its code (carets dropped). */
function unflatten(line: string): string[] {
  const out: string[] = [];
  let rest = line.trimStart();
  for (let i = 0; i < 200 && rest; i++) {
    const next = rest.indexOf(' File ', 1);
    const piece = next > 0 ? rest.slice(0, next) : rest;
    rest = next > 0 ? rest.slice(next + 1) : '';
    const m = piece.startsWith('File ') ? FLAT_FRAME.exec(piece.trimEnd()) : null;
    if (!m) { out.push(piece); continue; }
    out.push(m[1] ?? '');
    const code = (m[2] ?? '').split(/\s[~^]{3,}/)[0]?.trim() ?? '';
    if (code) out.push(`    ${code}`);
  }
  return out;
}

/** The lines of a paste as frames can be read from them: a logged, escaped traceback split at its `\\n`s, a flattened one at its headers. */
function frameLines(parsed: ParsedPaste): string[] {
  let lines = parsed.lines.length > 600 ? [...parsed.lines.slice(0, 300), ...parsed.lines.slice(-300)] : parsed.lines;
  if (lines.some((l) => l.includes('\\n') && ESCAPED_TRACEBACK.test(l))) {
    lines = lines.flatMap((l) => (l.includes('\\n') && ESCAPED_TRACEBACK.test(l) ? l.split('\\n').map((x) => x.replace(/\\"/g, '"')) : [l]));
  }
  return withFlatFrames(lines);
}

function isFlat(l: string): boolean {
  return l.includes(', line ') && l.includes('File ') && FLAT_FRAME.test(l.slice(l.indexOf('File ')).trimEnd());
}

function withFlatFrames(lines: string[]): string[] {
  if (!lines.some(isFlat)) return lines;
  return lines.flatMap((l) => (isFlat(l) ? unflatten(l) : [l]));
}

const BLANK_RECORD = { kind: 'line', type: '', shortType: '', message: '', codes: [], sqlstates: [], sql: null, hadParameters: false, link: null, lineIndex: 0 };

export function buildContext(parsed: ParsedPaste, primaryIndex: number): NameContext {
  const primary = parsed.records[primaryIndex];
  const ordered = primary ? [primary, ...parsed.records.filter((r) => r !== primary)] : [...parsed.records];
  let records = ordered;
  if (!ordered.some((r) => r.frames.length > 0)) {
    const frames = looseFrames(frameLines(parsed));
    if (frames.length) records = [{ ...(primary ?? BLANK_RECORD), frames } as ErrorRecord, ...ordered.slice(1)];
  } else if (parsed.lines.length <= 600) {
    // A paste cut off inside its last traceback (the chained exception's frames, no final line):
    // those frames are the outer code, often the user's own, and belong to no record.
    // A traceback carried at the end of another exception's message (`DBusException: ...InvalidRequestError:
    // Traceback (most recent call last):`) is that exception's cause: its frames are read first.
    let last = -1;
    for (let i = parsed.lines.length - 1; i >= 0; i--) if (parsed.lines[i]?.includes('Traceback') && TRACEBACK_TAIL.test(parsed.lines[i] ?? '')) { last = i; break; }
    const embedded = last >= 0 && !TRACEBACK_LINE.test(parsed.lines[last] ?? '');
    // Sentry prints the message first and the frames after it, with no Traceback line: frames below
    // the last record's line belong to no record either.
    const lastRecord = Math.max(...parsed.records.map((r) => r.lineIndex));
    const from = last >= 0 && parsed.records.every((r) => (embedded ? r.lineIndex <= last : r.lineIndex < last)) ? last : lastRecord;
    const frames = looseFrames(withFlatFrames(parsed.lines.slice(from + 1)));
    const loose = { ...BLANK_RECORD, lineIndex: from, frames } as ErrorRecord;
    if (frames.length) records = embedded && from === last ? [loose, ...ordered] : [...ordered, loose];
  }
  const failing = failingLines(records);
  // Only an installed library's line failed (the REPL's `<console>` frame shows no code): the session's
  // statements are still the user's code.
  const noFailing = failing.length === 0;
  if (!failing.some((l) => l.user) && parsed.lines.length <= 200) {
    // A shell session: the last statement before the traceback is the one that raised. Before it,
    // only statements that changed something count (`ed_user.password = 'asdf'` before a failing
    // commit), latest first: one that only displayed a value (`m1.order`) ran fine; imports read nothing.
    const repl: string[] = [];
    for (const l of parsed.lines) {
      // IPython's header puts the exception's name first: `IntegrityError    Traceback (most recent call last)`.
      if (repl.length && l.includes('Traceback (most recent call last)')) break;
      const m = REPL.exec(l);
      if (m?.[1] && !/^\s*(?:from\s+\S+\s+)?import\s/.test(m[1])) repl.push(m[1]);
    }
    repl.reverse().forEach((code, i) => {
      if (i === 0 || /(?<![=!<>+\-*/])=(?!=)|\.(?:add|add_all|delete|merge|append|extend|remove|update)\(/.test(code)) failing.push({ code, user: true, frame: null });
    });
    // A backticked span that quotes the error itself (`sqlalchemy.exc.MissingGreenlet: greenlet_spawn ...`) is not code,
    // nor is a string literal alone (`'AsyncCursor.close'`, the name a message quoted).
    if (noFailing) {
      for (const l of parsed.lines) for (const m of l.matchAll(BACKTICKED)) if (!ERROR_SPAN.test(m[1] ?? '') && !/^(["'])[^"'\s]{1,300}\1$/.test(m[1] ?? '')) failing.push({ code: m[1] ?? '', user: false, frame: null });
      // A span the poster opened on one line and closed on a later one (flasky#168: `` `posts = Post.query.order_by(...).all() ``
      // then `` return render_template(...)` ``): each of its lines is code.
      for (const l of parsed.lines) {
        const open = l.startsWith('`') && !l.startsWith('``') ? SPAN_OPEN.exec(l) : null;
        if (open?.[1] && !ERROR_SPAN.test(open[1])) failing.push({ code: open[1], user: false, frame: null });
      }
    }
  }
  // A report with no frames and no session that shows its code flush left above the error (a fenced block
  // whose fences the normaliser dropped): `fixture(TeamMember, user=john)`. Only whole call statements
  // count, so the poster's sentences stay out; a short paste's lines are all read as prose below.
  if (failing.length === 0 && parsed.lines.length > 5 && parsed.lines.length <= 200) {
    // Bare lines the parser kept as records (no exception in the paste: `type object 'myTable' has no attribute
    // 'query'` under the session's lines) do not end the code; an exception or a warning does.
    // A traceback's first line ends it too: the frames' code below is a library's, not the poster's.
    const errors = parsed.records.filter((r) => r.kind !== 'line');
    let end = errors.length ? Math.min(...errors.map((r) => r.lineIndex)) : parsed.lines.length;
    const frameAt = parsed.lines.findIndex((l, i) => i < end && (l.includes('Traceback (most recent') || /^\s{0,16}File ["']/.test(l)));
    if (frameAt >= 0) end = frameAt;
    for (const l of parsed.lines.slice(0, end)) if (l.includes('(') && CALL_STATEMENT.test(l)) failing.push({ code: l.trim(), user: true, frame: null });
    failing.reverse();
    // The error first, then the script that raised it ("the script" below a frameless error): its whole call
    // statements, up to a traceback, which shows a library's code.
    if (failing.length === 0 && errors.length && !records.some((r) => r.frames.length > 0)) {
      const after = parsed.lines.slice(Math.max(...errors.map((r) => r.lineIndex)) + 1);
      const stop = after.findIndex((l) => l.includes('Traceback (most recent') || /^\s{0,16}File ["']/.test(l));
      for (const l of stop >= 0 ? after.slice(0, stop) : after) if (l.includes('(') && CALL_STATEMENT.test(l)) failing.push({ code: l.trim(), user: true, frame: null });
    }
  }
  // A short paste with no frames ("getting X when I read user.organization"): read the prose,
  // but not SQL (`users.id AS users_id` names a table, not a variable).
  const prose = failing.length === 0 && parsed.lines.length <= 5;
  if (prose) {
    // Indented lines and frame headers of a short paste are library code, not the user's words.
    // The error's own wording names tables and relationships, not variables: `column flow.user_id does
    // not exist`, `on relationship floatingips.ports` (the message and mapper sources read those).
    // sqlite's `no such column: experiment.description` (and its old `users.email may not be NULL`) names a table and a column too. DDL echoed by
    // pg_restore (`Command was: ALTER TABLE ONLY public.table1`) names a schema and a table, not a read.
    // SQLAlchemy's own words `FROM clause` (`Column expression or FROM clause expected`) are no SQL: the title's `select(Hero)` is read.
    for (const l of parsed.lines) if (!/^\s|^File "|\b(?:SELECT|INSERT|UPDATE|DELETE|FROM(?![- ]clause)|WHERE|ALTER|CREATE|DROP|REFERENCES)\b|\bCommand was:|^\[(?:SQL|parameters):|^(?:DETAIL|HINT):|\bcolumn:? \w+\.\w+|\brelationship '?\w+\.\w+|\bconstraint failed: \w+\.\w+|\b\w+\.\w+ may not be NULL/.test(l)) failing.push({ code: l, user: true, frame: null });
  }
  let groups = 0;
  const text = parsed.lines.length <= 400 ? parsed.lines.join('\n') : '';
  // A listed pytest frame's earlier statements (`update = self.db.query(Update).one()` above the marked
  // line) ran in the failing function: they name its objects when the marked line names none.
  const outer = outerLines(records, failing);
  for (const l of failing) for (const code of [...((l.frame && listedBefore.get(l.frame)) ?? [])].reverse().slice(0, 4)) outer.push({ code, user: l.user, frame: l.frame });
  return { parsed, primary, ordered: records, failing, outer, prose, source: parsed.sourceLines, text, group: () => ++groups };
}

/**
 * `expression 'task_project_relations' failed to locate a name`: SQLAlchemy evaluates a relationship's `secondary=`
 * string as a table name and, failing that, as Python. A lower-case snake_case name (`a_b`) that the paste defines
 * no class for is the association table the relationship goes through, not the class it points to.
 */
function secondaryNotClass(findings: NameFinding[], ctx: NameContext): void {
  if (!ctx.text.includes('failed to locate a name')) return;
  for (const f of findings) {
    if (f.role !== 'related_model' || !/^[a-z][a-z0-9]{0,40}(?:_[a-z0-9]{1,40}){1,5}$/.test(f.value)) continue;
    if (ctx.text.includes(`class ${f.value}`) || !new RegExp(`failed to locate a name \\(["'‘“](?:name ['‘])?${f.value}\\b`).test(ctx.text.replace(/\n[> ]{0,6}/g, ' '))) continue;
    f.role = 'secondary';
  }
}

// Wordings that never end a paste of their own accord: pydantic prints at least one location under its header. A paste that
// shows more than that line (a traceback above it) and ends in one was cut there, and the name it ends on may be cut too
// (sglang#4236's excerpt stops at `5 validation errors for ChatCompletionReques`). A paste of that one line alone (an issue
// title, the error line quoted) is the line the poster chose, whole.
const ALWAYS_CONTINUES = /\bvalidation errors? for [^\n]{0,300}$/;

/**
 * A name read off the very end of a paste that was cut there is no name until the paste confirms it: a longer identifier the
 * paste's code shows (`ChatCompletionRequest(**request_json)` in the frame that built the model) is the whole name; the same
 * name written whole elsewhere (a title, a sentence) confirms it; otherwise it is kept only as a guess, so the answer never
 * presents a cut name as found.
 */
function cutAtPasteEnd(findings: NameFinding[], ctx: NameContext): void {
  const lines = ctx.parsed.lines;
  let last = '';
  let at = lines.length - 1;
  for (; at >= 0 && !last; at--) last = (lines[at] ?? '').trimEnd();
  if (!last.includes('validation error') || !ALWAYS_CONTINUES.test(last) || !lines.slice(0, at + 1).some((l) => l.trim())) return;
  const tail = /([A-Za-z_]\w{0,200})$/.exec(last)?.[1];
  if (!tail || !findings.some((f) => f.value === tail)) return;
  const longer = new RegExp(`\\b(${tail}\\w{1,80})\\s{0,2}[[(.]`);
  const code = [...ctx.source, ...ctx.ordered.flatMap((r) => r.frames.map((f) => f.code))];
  let whole: { value: string; evidence: string } | null = null;
  for (const c of code) {
    const m = c.includes(tail) ? longer.exec(c) : null;
    if (m?.[1]) { whole = { value: m[1], evidence: c.slice(0, 160) }; break; }
  }
  const before = whole ? '' : (ctx.text || lines.join('\n')).slice(0, -last.length);
  const confirmed = !whole && new RegExp(`\\b${tail}(?!\\w)`).test(before);
  if (confirmed) return;
  for (const f of findings) {
    if (f.value !== tail) continue;
    if (whole) Object.assign(f, { value: whole.value, source: 'code', evidence: whole.evidence });
    else Object.assign(f, { guess: true, confidence: Math.min(f.confidence, 0.4) });
  }
}

// A word the paste shows cut: GitHub's `…` at the end of a long title (`for key 'repos_topics.uc_repos_topi…`), Sentry's and a
// log viewer's `...` (`foreign key constraint "first_post_id_refs_id_2c1...`).
const BEFORE_ELLIPSIS = /\b([A-Za-z_]\w{0,200})(?:…|\.{3})/g;

/**
 * A name read off a word the paste cut with an ellipsis is no name unless the paste also writes it whole (the title cut, the
 * body's own log line whole): otherwise it is dropped, and the role keeps its placeholder (a cut name is worse than one). One
 * scan collects the cut words, one more checks the few names that are among them.
 */
function cutBeforeEllipsis(findings: NameFinding[], ctx: NameContext): void {
  const text = ctx.text;
  if (!text || (!text.includes('…') && !text.includes('...'))) return;
  const cut = new Set<string>();
  for (const m of text.matchAll(BEFORE_ELLIPSIS)) {
    if (m[1]) cut.add(m[1]);
    if (cut.size >= 40) break;
  }
  const suspects = findings.filter((f) => f.source !== 'derived' && cut.has(f.value));
  if (!suspects.length) return;
  const whole = new Set<string>();
  for (const m of text.matchAll(new RegExp(`\\b(${[...new Set(suspects.map((f) => f.value))].join('|')})(?![\\w…]|\\.{3})`, 'g'))) if (m[1]) whole.add(m[1]);
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i];
    if (f && f.source !== 'derived' && cut.has(f.value) && !whole.has(f.value)) findings.splice(i, 1);
  }
}

const RELATIONSHIP_HINT = /lazy|relationship/i;

/** Only a relationship has a target class; reading a column (`user.email`) has none. */
function isRelationshipLike(attr: string, ctx: NameContext): boolean {
  if (!ctx.primary) return false;
  if (/^(?:id|name|email|title|status|created_at|updated_at|value|data|type)$/.test(attr)) return false;
  const lazyFrames = ctx.parsed.records.some((r) => r.frames.some((f) => /orm\/strategies\.py/.test(f.file.replace(/\\/g, '/'))));
  return lazyFrames || RELATIONSHIP_HINT.test(ctx.primary.message) || isPlural(attr);
}

function toResolved(f: NameFinding): ResolvedName {
  return { role: f.role, value: f.value, source: f.source, confidence: Math.round(f.confidence * 100) / 100, guess: f.guess === true, evidence: f.evidence ?? null };
}

export interface ExtractedNames {
  /** The name chosen for each role the paste fills, with where it came from. */
  names: ResolvedName[];
  /** Every finding, best first per role (for the compatibility lists: models, tables, fields). */
  findings: NameFinding[];
}

/**
 * Runs every source and picks one name per role. The fault's own captures (its signature's named
 * groups) outrank everything; then confidence; ties go to the earlier source and the earlier find.
 */
export function extractNames(parsed: ParsedPaste, primaryIndex: number, signatureCaptures: Record<string, string> = {}): ExtractedNames {
  const ctx = buildContext(parsed, primaryIndex);
  const findings: NameFinding[] = [];
  for (const [name, value] of Object.entries(signatureCaptures)) {
    const role = roleOf(name);
    if (role && value) findings.push({ role, value, source: 'signature', confidence: 0.99, evidence: value });
  }
  for (const source of NAME_SOURCES) source.find(ctx, findings);
  cutAtPasteEnd(findings, ctx);
  cutBeforeEllipsis(findings, ctx);
  wholeQuotedNames(findings, ctx);
  splitLocalsQualname(findings);
  secondaryNotClass(findings, ctx);
  resolveTableAliases(findings, ctx);
  for (let i = findings.length - 1; i >= 0; i--) if (isHiddenName(findings[i]?.value ?? '')) findings.splice(i, 1);
  // A template pair (`table__new.colonne`): everything read from that statement goes, so the real pair quoted later is chosen.
  const standIn = new Set(findings.filter((f) => f.group !== undefined && isStandInName(f.role, f.value)).map((f) => f.group));
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i]!;
    if (isStandInName(f.role, f.value) || (f.group !== undefined && standIn.has(f.group))) findings.splice(i, 1);
  }
  const order = new Map(findings.map((f, i) => [f, i]));
  findings.sort((a, b) => b.confidence - a.confidence || (order.get(a) ?? 0) - (order.get(b) ?? 0));

  const best = (role: Role, ok: (f: NameFinding) => boolean = () => true): NameFinding | undefined => findings.find((f) => f.role === role && f.value && ok(f));
  const chosen = new Map<Role, NameFinding>();
  // A fault's regex may stop at the first segment of a location (`results` of `results.0.remote_fields`);
  // the validation source read the whole location, and its last segment is the field.
  const sigField = best('field', (f) => f.source === 'signature');
  const fullField = sigField ? best('field', (f) => f.source === 'pydantic' && f.value !== sigField.value && new RegExp(`(?:^|[.'\\s(,>-])${sigField.value.replace(/\W/g, '')}(?:[.'\\s,)]|$)`).test(f.evidence ?? '')) : undefined;
  if (fullField) chosen.set('field', fullField);
  const attribute = best('attribute');
  if (attribute) chosen.set('attribute', attribute);
  // The model is the attribute's own class when one statement named both (`'Study.user'`, a repr and
  // its attribute, `user.organization` resolved to User), unless the fault's regex says otherwise
  // or a far surer name exists.
  const sigModel = best('model', (f) => f.source === 'signature');
  const pairModel = attribute?.group !== undefined ? best('model', (f) => f.group === attribute.group) : undefined;
  const topModel = best('model');
  const pairWins = pairModel && topModel && pairModel.confidence >= topModel.confidence - 0.15 && (!pairModel.guess || topModel.guess === true);
  // A class a validation header names is the schema: its constructor call in the code (`Root(aggregate=...)`)
  // does not make it an ORM model.
  const schemaFromHeader = best('schema', (f) => f.source === 'pydantic' || f.source === 'signature');
  const notSchema = (f: NameFinding | undefined): NameFinding | undefined => (f && schemaFromHeader && f.value === schemaFromHeader.value && f.source === 'code' ? best('model', (g) => g.value !== schemaFromHeader.value) : f);
  const candidate = pairWins ? pairModel : topModel;
  const model = sigModel ?? notSchema(candidate);
  if (model) chosen.set('model', model);
  const noModel = !model && candidate !== undefined;
  // The related class is never the model itself: a longer or equal name of the parent is not its target.
  const related = best('related_model', (f) => f.value !== model?.value);
  if (related) chosen.set('related_model', related);
  for (const role of ROLE_NAMES) {
    if (chosen.has(role) || role === 'relationship_annotation' || (role === 'model' && noModel)) continue;
    const f = best(role);
    if (f) chosen.set(role, f);
  }

  // Derived names, each marked as a guess: what a relationship points to, the variable a snippet may use.
  const attr = chosen.get('attribute');
  if (attr && !chosen.has('related_model') && isRelationshipLike(attr.value, ctx)) {
    const modelName = chosen.get('model')?.value;
    const fromTable = findings.filter((f) => f.role === 'table').map((f) => classNameForTable(f.value)).find((c) => c !== modelName);
    const byName = pascal(singular(attr.value));
    const value = findings.some((f) => f.role === 'model' && f.value === byName && f.value !== modelName) ? byName : fromTable ?? byName;
    if (value && value !== modelName) chosen.set('related_model', { role: 'related_model', value, source: 'derived', confidence: 0.4, guess: true, evidence: attr.value });
  } else if (!chosen.has('model') && !attr) {
    // An error about a table only (no class named anywhere): its class by the usual naming, a guess.
    const table = chosen.get('table');
    // A table whose name starts with a digit (a generated one) maps to no Python class by any naming.
    if (table && !/^\d/.test(table.value)) chosen.set('model', { role: 'model', value: classNameForTable(table.value), source: 'derived', confidence: 0.35, guess: true, evidence: table.value });
  }
  // A foreign key's referenced table names the class the relationship points to, by convention.
  const relatedTable = chosen.get('related_table');
  if (!chosen.has('related_model') && relatedTable) {
    const value = classNameForTable(relatedTable.value);
    if (value !== chosen.get('model')?.value) chosen.set('related_model', { role: 'related_model', value, source: 'derived', confidence: 0.35, guess: true, evidence: relatedTable.value });
  }
  const m = chosen.get('model');
  if (m && (chosen.get('variable')?.confidence ?? 0) < 0.3) chosen.set('variable', { role: 'variable', value: snakeName(m.value), source: 'derived', confidence: 0.3, guess: true, evidence: m.value });
  const rel = chosen.get('related_model');
  if (rel && attr) {
    chosen.set('relationship_annotation', { role: 'relationship_annotation', value: isPlural(attr.value) ? `list["${rel.value}"]` : `"${rel.value}"`, source: 'derived', confidence: Math.min(rel.confidence, attr.confidence), guess: rel.guess === true });
  }
  const names = ROLE_NAMES.flatMap((role) => {
    const f = chosen.get(role);
    return f ? [toResolved(f)] : [];
  });
  return { names, findings };
}
