"""Writers: the analysis tables as records, text formats, terminal views and workbooks."""
