//! Where a form's server errors go: under the field they name, else in a banner above it.

use leptos::prelude::*;
use shared::ApiError;

/// One field's server error, by field name.
type FieldError = (&'static str, RwSignal<Option<String>>);

/// Where a form's server error goes: under the field it names, else above the form.
#[derive(Clone, Copy)]
pub struct FormErrors {
    pub form: RwSignal<Option<String>>,
    fields: StoredValue<Vec<FieldError>>,
}

impl FormErrors {
    /// Errors for a form with these field names.
    pub fn new(names: &[&'static str]) -> Self {
        let fields = names.iter().map(|name| (*name, RwSignal::new(None))).collect();
        Self { form: RwSignal::new(None), fields: StoredValue::new(fields) }
    }

    /// The server error of one field (the form's banner for a name it does not know).
    pub fn field(&self, name: &str) -> RwSignal<Option<String>> {
        self.fields
            .with_value(|fields| fields.iter().find(|(n, _)| *n == name).map(|(_, s)| *s))
            .unwrap_or(self.form)
    }

    pub fn clear(&self) {
        self.form.set(None);
        self.fields.with_value(|fields| fields.iter().for_each(|(_, s)| s.set(None)));
    }

    pub fn show(&self, err: ApiError) {
        let target = err.field.as_deref().map_or(self.form, |name| self.field(name));
        target.set(Some(err.message));
    }
}

/// The banner for errors that belong to no single field.
#[component]
pub fn FormError(errors: FormErrors) -> impl IntoView {
    view! {
        <Show when=move || errors.form.get().is_some()>
            <p class="form-error" role="alert">{move || errors.form.get()}</p>
        </Show>
    }
}
