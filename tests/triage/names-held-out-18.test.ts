import { describe, expect, it } from 'vitest';
import { shippedEngine } from '../helpers.js';

// The classes of miss of held-out-18's first run (tests/corpus/names/held-out-18.yaml header), each tested on a real paste
// from ANOTHER public thread than the corpus line that exposed it (its URL in the comment; none is in tests/corpus or knowledge/).
const engine = shippedEngine();
function names(text: string): Map<string, { value: string; guess: boolean }> {
  return new Map(engine.diagnose(text).entities.names.map((n) => [n.role as string, { value: n.value, guess: n.guess }]));
}

describe('held-out-18 classes of miss, on pastes from other threads', () => {
  it('a column and a relationship given one name: `when configuring property ... column conflicts with property` (1.4 mapped class wording)', () => {
    // https://github.com/aldjemy/aldjemy/issues/76 (as posted, the message's own line breaks kept)
    const got = names(`sqlalchemy.exc.ArgumentError: WARNING: when configuring property 'subject' on mapped
class User->usersubjects, column 'subject' conflicts with property '<RelationshipProperty at 0x104453c48; subject>'.
To resolve this, map the column to the class under a different name in the 'properties' dictionary.
Or, to remove all awareness of the column entirely (including its availability as a foreign key),
use the 'include_properties' or 'exclude_properties' mapper arguments to control specifically
which table columns get mapped.`);
    expect(got.get('attribute')?.value).toBe('subject');
  });

  it('the same conflict in the 1.3 Mapper|Class|table wording, the message wrapped by the terminal', () => {
    // https://github.com/nisavid/pyrdb2rdf/issues/1 (as posted)
    const got = names(`sqlalchemy.exc.ArgumentError: WARNING: when configuring property 'value' on 
Mapper|value_data|value_data, column 'value' conflicts with property '<RelationshipProperty at 
0x4be1710; value>'. To resolve this, map the column to the class under a different name in the 
'properties' dictionary.  Or, to remove all awareness of the column entirely (including its availability as a 
foreign key), use the 'include_properties' or 'exclude_properties' mapper arguments to control 
specifically which table columns get mapped.`);
    expect(got.get('attribute')?.value).toBe('value');
  });

  it('the table of a failing CREATE INDEX statement (`[SQL: CREATE UNIQUE INDEX name ON schema.table ()]`), an index name with `$`', () => {
    // https://github.com/MIT-LCP/oracle2postgres/issues/14 (the Pdb prompt line and the error as posted)
    const got = names(` (Pdb) with target_engine.begin() as connection: source_metadata.create_all(connection,checkfirst=False)
*** sqlalchemy.exc.ProgrammingError: (psycopg2.ProgrammingError) syntax error at or near ")"
LINE 1: ...UNIQUE INDEX i_snap$_uofirstday ON alistairewj.uofirstday ()
                                                                      ^
 [SQL: 'CREATE UNIQUE INDEX i_snap$_uofirstday ON alistairewj.uofirstday ()'] (Background on this error at: http://sqlalche.me/e/f405`);
    expect(got.get('table')?.value).toBe('uofirstday');
  });
});
