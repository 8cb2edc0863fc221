"""Writes zips whose central directory and local headers disagree, for dev.nncore.keras.HostileFormatsTest, and
prints what Python's zipfile (what Keras and numpy use) reads from each.

Run:  /usr/bin/python3 make_zips.py
"""
import io
import zipfile


def zip_of(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return out.getvalue()


def report(name):
    try:
        with zipfile.ZipFile(name) as z:
            print(name, 'zipfile reads', {n: z.read(n) for n in z.namelist()})
    except Exception as e:  # noqa: BLE001 - we print zipfile's verdict, whatever it is
        print(name, 'zipfile refuses:', type(e).__name__, e)


# a local header named config.json that the central directory calls conf1g.json
renamed = bytearray(zip_of([('config.json', b'{"seen by": "local header"}')]))
directory = renamed.rindex(b'PK\x01\x02')
renamed[directory + 46:directory + 46 + len('config.json')] = b'conf1g.json'
open('zip_renamed_in_directory.zip', 'wb').write(renamed)
report('zip_renamed_in_directory.zip')

# an entry hidden before the archive: local header readers (ZipInputStream) see it, zipfile skips it, since it
# reads the central directory and shifts its offsets by the bytes found before the archive
hidden = zip_of([('model.weights.h5', b'weights only a local-header reader sees')])
hidden = hidden[:hidden.index(b'PK\x01\x02')]
visible = zip_of([('config.json', b'{"seen by": "central directory"}')])
open('zip_hidden_entry.zip', 'wb').write(hidden + visible)
report('zip_hidden_entry.zip')
