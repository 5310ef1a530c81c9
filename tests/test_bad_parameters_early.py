"""Bad parameters for notebooks 00, 01, 02, 07 and 08, through papermill and one shared kernel."""

from .bad_parameters import make_test

(runners, test_a_bad_parameter_stops_papermill_in_the_setup_cell,
 test_bad_parameters_stop_at_once_with_a_clear_message) = make_test(("00", "01", "02", "07", "08"))
