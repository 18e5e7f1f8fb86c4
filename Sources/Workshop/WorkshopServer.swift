import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension WorkshopResponse: ResponseEncodable {}
extension WorkshopFileResponse: ResponseEncodable {}

/// The workshop's web server (Hummingbird 2): the page at `/`, and three JSON endpoints the page
/// posts to — `/api/simulate`, `/api/save-variant`, `/api/report`. Nothing else is served: any
/// other path is a 404, so no file of the machine can be asked for.
///
/// Bound to 127.0.0.1 unless the user names another address; then every request must carry
/// the session's token (in the page's address as `?token=…`, then in a header), so that only
/// the people the consultant gives the address to can use it.
public struct WorkshopServer: Sendable {
    public let session: WorkshopSession
    public let host: String
    /// 0 asks the system for a free port (the address printed says which).
    public let port: Int
    /// Required in every request when not nil.
    public let token: String?

    public init(session: WorkshopSession, host: String = "127.0.0.1", port: Int = 8080, token: String? = nil) {
        self.session = session
        self.host = host
        self.port = port
        self.token = token
    }

    /// Whether `host` is this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1"].contains(host.lowercased())
    }

    /// A fresh random token: 128 bits, hex.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    /// Runs until the process is interrupted (SIGINT or SIGTERM); `ready` gets the address to
    /// open once the server listens.
    public func run(ready: @escaping @Sendable (String) -> Void) async throws {
        let session = self.session, token = self.token, host = self.host
        let router = Router()
        router.add(middleware: TokenCheck(token: token))
        router.get("/") { _, _ -> Response in
            let html = WorkshopPage.html(session: session, token: token)
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
        router.post("/api/simulate") { request, context -> WorkshopResponse in
            let body = try await request.decode(as: WorkshopRequest.self, context: context)
            return await session.simulate(body)
        }
        router.post("/api/save-variant") { request, context -> WorkshopFileResponse in
            let body = try await request.decode(as: WorkshopRequest.self, context: context)
            return await session.saveVariant(body)
        }
        router.post("/api/report") { request, context -> WorkshopFileResponse in
            let body = try await request.decode(as: WorkshopRequest.self, context: context)
            return await session.writeReport(body)
        }
        var logger = Logger(label: "crmcase.workshop")
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "crmcase workshop"),
            onServerRunning: { channel in
                let actual = channel.localAddress?.port ?? port
                // Listening on every address: the others need this machine's name, not 0.0.0.0.
                let reachable = ["0.0.0.0", "::"].contains(host) ? ProcessInfo.processInfo.hostName : host
                let shown = reachable.contains(":") ? "[\(reachable)]" : reachable
                ready("http://\(shown):\(actual)/" + (token.map { "?token=\($0)" } ?? ""))
            },
            logger: logger)
        try await app.runService()
    }
}

/// Refuses what did not come from the page itself: without a token (on 127.0.0.1), a request
/// whose `Host` is not this machine (another site's page that rebinds its name to 127.0.0.1);
/// a post that is not JSON (another site's form, which a browser sends without asking); and,
/// with a token, a request without it.
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post {
            let type = request.headers[.contentType] ?? ""
            guard type.lowercased().hasPrefix("application/json") else {
                throw HTTPError(.unsupportedMediaType, message: "The workshop's page sends JSON; this request did not come from it.")
            }
        }
        guard let token else {
            let host = (request.head.authority ?? "").lowercased()
            let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }.dropFirst()) : String(host.prefix { $0 != ":" })
            guard ["127.0.0.1", "localhost", "::1"].contains(name) else {
                throw HTTPError(.forbidden, message: "This workshop answers only at 127.0.0.1 (its address as crmcase workshop printed it).")
            }
            return try await next(request, context)
        }
        let given = request.headers[HTTPField.Name("X-Workshop-Token")!]
            ?? request.uri.queryParameters["token"].map(String.init)
        guard given == token else {
            throw HTTPError(.forbidden, message: "This workshop needs the address with its token, as crmcase workshop printed it.")
        }
        return try await next(request, context)
    }
}
