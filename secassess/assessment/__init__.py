"""Assessment: checklists (data) compiled to rules, evaluated over inventory entities, scored."""
