"""Prints the text a real Word reader (python-docx) finds in a .docx read from stdin: every
paragraph, every table cell, and the footers' text, one per line. Fails when the file does not open.
Run with Debian's python3-docx: /usr/bin/python3 tests/tools/docx_text.py < file.docx
"""
import io
import sys

import docx

doc = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
for paragraph in doc.paragraphs:
    print(paragraph.text)
for table in doc.tables:
    for row in table.rows:
        for cell in row.cells:
            print(cell.text)
for section in doc.sections:
    for paragraph in section.footer.paragraphs:
        # A page-number field's instruction text sits in the XML, not in .text; show both.
        print(paragraph.text, paragraph._p.xml.count("PAGE"), paragraph._p.xml.count("NUMPAGES"))
