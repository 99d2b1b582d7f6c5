"""GMSD formats that travel between parties: the upload metadata record and the
report naming convention agreed between CBS and RINIS. Knows no party."""
