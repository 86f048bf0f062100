import NIOConcurrencyHelpers

/// The site `serve` answers with: the one made from the configuration as last loaded. A
/// reload (SIGHUP) replaces it; a request already being answered keeps the one it began with.
final class CurrentSite: Sendable {
    private let box: NIOLockedValueBox<ConfirmationSite>

    init(_ site: ConfirmationSite) {
        box = NIOLockedValueBox(site)
    }

    var site: ConfirmationSite { box.withLockedValue { $0 } }

    func replace(with site: ConfirmationSite) {
        box.withLockedValue { $0 = site }
    }
}
