export const TEMPLATE_DB = "sankofa_test_template";
