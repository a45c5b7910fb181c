//! The independent checker every plan passes before it is written.
