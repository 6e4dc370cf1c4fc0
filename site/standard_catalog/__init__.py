"""基层政务公开标准目录 (国办发〔2019〕54号): per agency and domain, what is disclosed, on what
basis, when, by whom and where; each row linked to the documents that fulfil it."""
