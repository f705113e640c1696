/**
 * The demo's own UDF for identity resolution (models/identity): it builds on the standard library's
 * name functions (`weir-sql/stdlib`) and is declared with the authoring API (`weir-sql/udf`), as any
 * project's UDF module is.
 */
import { defineScalarUdf } from 'weir-sql/udf';
import { localPartIsName } from 'weir-sql/stdlib';

export const email_is_name = defineScalarUdf({
  name: 'email_is_name',
  args: [{ name: 'local_part', type: 'VARCHAR' }, { name: 'name_key', type: 'VARCHAR' }],
  returns: 'BOOLEAN',
  deterministic: true,
  portable: true,
  description:
    "TRUE when an email local part's letters are only the person's name parts (jihu.kim, jkim83, kimjihu for 'gim jihu'; any customary " +
    'Korean surname spelling, nicknames): an address namesakes share, weak evidence in record linkage. name_key is a name_keys() key.',
  fn: (local: string, nameKey: string) => localPartIsName(local, nameKey),
});
